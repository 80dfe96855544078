/* daygroup.mod -- the day-grouped lower bound on the weighted unmet work (spec 3.2,
   objective 1; issue 11 item 2).

   A linear relaxation valid for EVERY plan of the scenario (the argument, rule by rule, is
   in Sources/JointPlan/Solver/DayGroupBound.swift): working days with the same departments
   on duty form one group G; per group and department the inspector-visit slots and minutes
   of the available certified inspectors; spacing relaxed to counts per group and overall;
   travel relaxed to the least journey between consecutive visits of an inspector-day;
   time of day relaxed to those capacities; groups beyond a maximum merged (any partition
   of the days is valid). jointplan builds the same
   LP through GLPK's C API (DayGroupBound.linearModel, with redundant rows left out) and
   Tests/JointPlanTests/DayGroupBoundTests.swift asserts the same optimum both ways:
       glpsol -m Models/daygroup.mod -d daygroup.dat */

param lengthrows binary default 1;   # 0: the LP leaves the length rows out (DayGroupBound.lengthRows)
param base >= 0;            # policy.visitBaseMinutes
param team >= 1;            # policy.minInspectorsPerVisit
param tau >= 0;             # least travel between two consecutive visits (within a town, between towns)
param total;                # sum of weight x required checks: the unmet work if nothing is done

set D;                      # departments
set G;                      # day groups
set GD dimen 2 within G cross D;   # departments on duty in a group
param slots{GD} >= 0;       # sum over the group's days and available certified inspectors of maxVisitsPerDay
param minutes{GD} >= 0;     # ... of working minutes
param pdays{GD} >= 0;       # ... of 1 (inspector-days)
param vmax{G} >= 0;         # sum over the group's days of the most visits the day can hold (team distinct members each)

set C;                      # classes of enterprises whose rows are identical
param n{C} >= 1;            # enterprises in the class
param w{C} >= 0;            # policy.unmetWeight of their tier
param cap{C} >= 0;          # on-site visits still allowed (rule 8)
set CG dimen 2 within C cross G;   # groups with a day the class may be visited (rules 1, 2)

set P dimen 2;              # (class, item) pairs with checks possible
param dept{P} symbolic in D;
param deleg{P} binary;      # rule 3: any team member may perform it
param mins{P} >= 0;         # on-site minutes
param rmins{P} >= 0;        # remote minutes
param most{P} >= 1;         # checks possible over the horizon (spacing, required count; cap if on site only)

set PG dimen 3;             # (class, item, group) where a check is possible
param onk{PG} >= 0;         # on-site checks spacing allows in the group (0: none)
param remk{PG} >= 0;        # remote checks spacing allows in the group
param eitherk{PG} >= 0;     # checks of either kind spacing allows in the group

set ON  := setof{(c,p,g) in PG: onk[c,p,g] > 0 and (c,g) in CG} (c,p,g);
set REM := setof{(c,p,g) in PG: remk[c,p,g] > 0} (c,p,g);
set VG  := setof{(c,p,g) in ON} (c,g);
set CGD := setof{(c,p,g) in ON: deleg[c,p] = 0} (c,g,dept[c,p]);
set LEN := setof{(c,p,g) in ON: mins[c,p] > 0 and lengthrows = 1} (c,g);

var V{(c,g) in VG} >= 0, <= n[c] * cap[c];                        # visits to the class in g
var on{(c,p,g) in ON} >= 0, <= n[c] * min(onk[c,p,g], cap[c]);    # on-site checks
var rem{(c,p,g) in REM} >= 0, <= n[c] * remk[c,p,g];              # remote checks
var u{(c,g,d) in CGD} >= 0, <= n[c] * cap[c];                     # visits with a member of d
var Z{(g,d) in GD} >= 0, <= slots[g,d];                            # (visit, member of d) pairs
var T{(g,d) in GD} >= 0, <= tau * slots[g,d];                      # travel of d's members
var L{(c,g) in LEN} >= 0;                                          # total length of the class's visits in g

minimize unmet: total - sum{(c,p,g) in ON} w[c] * on[c,p,g] - sum{(c,p,g) in REM} w[c] * rem[c,p,g];

# rule 8: the on-site cap
s.t. capvisits{c in C}: sum{(cc,g) in VG: cc = c} V[cc,g] <= n[c] * cap[c];
# rule 3: one occurrence of an item per visit
s.t. visit{(c,p,g) in ON}: on[c,p,g] <= V[c,g];
# rule 7: spacing, per group and overall; rule 6: at most the required checks
s.t. spacing{(c,p,g) in ON inter REM}: on[c,p,g] + rem[c,p,g] <= n[c] * eitherk[c,p,g];
s.t. mostchecks{(c,p) in P}:
    sum{(cc,pp,g) in ON: cc = c and pp = p} on[cc,pp,g] + sum{(cc,pp,g) in REM: cc = c and pp = p} rem[cc,pp,g]
    <= n[c] * most[c,p];
# rule 3: a non-delegable check needs a member of its department on the visit
s.t. deptvisit{(c,p,g) in ON: deleg[c,p] = 0}: on[c,p,g] <= u[c,g,dept[c,p]];
s.t. teamvisit{(c,g,d) in CGD}: u[c,g,d] <= V[c,g];
# rule 4: a member uses one of his maxVisitsPerDay
s.t. slotsused{(g,d) in GD}: sum{(c,gg,dd) in CGD: gg = g and dd = d} u[c,gg,dd] <= Z[g,d];
# rule 2: at least `team` members on every visit
s.t. members{g in G}: sum{(gg,d) in GD: gg = g} Z[gg,d] >= team * sum{(c,gg) in VG: gg = g} V[c,gg];
# rules 2 and 4, day by day: k visits on a day need sum over its inspectors of min(their visits, k) >= team * k
s.t. dayvisits{g in G: vmax[g] * team < sum{(gg,d) in GD: gg = g} slots[gg,d]}: sum{(c,gg) in VG: gg = g} V[c,gg] <= vmax[g];
# rule 4: k visits of an inspector on a day need k - 1 journeys of at least tau
s.t. travel{(g,d) in GD}: T[g,d] >= tau * (Z[g,d] - pdays[g,d]);
# rules 1 and 4: each member is on site base + his checks; travel; remote minutes
s.t. deptminutes{(g,d) in GD}: base * Z[g,d] + T[g,d]
    + sum{(c,p,gg) in ON: gg = g and deleg[c,p] = 0 and dept[c,p] = d} mins[c,p] * on[c,p,gg]
    + sum{(c,p,gg) in REM: gg = g and dept[c,p] = d} rmins[c,p] * rem[c,p,gg] <= minutes[g,d];
s.t. allminutes{g in G}: sum{(gg,d) in GD: gg = g} (base * Z[gg,d] + T[gg,d])
    + sum{(c,p,gg) in ON: gg = g} mins[c,p] * on[c,p,gg]
    + sum{(c,p,gg) in REM: gg = g} rmins[c,p] * rem[c,p,gg] <= sum{(gg,d) in GD: gg = g} minutes[gg,d];
# rule 1: a visit lasts at least base + the minutes of each check on it (one occurrence of an item per visit)
s.t. length{(c,p,g) in ON: mins[c,p] > 0 and lengthrows = 1}: L[c,g] >= base * V[c,g] + mins[c,p] * on[c,p,g];
# rules 1, 2, 4: every member is on site for the whole visit, at least `team` members per visit
s.t. memberminutes{g in G: lengthrows = 1}: sum{(c,gg) in LEN: gg = g} team * L[c,gg] + sum{(gg,d) in GD: gg = g} T[gg,d]
    + sum{(c,p,gg) in REM: gg = g} rmins[c,p] * rem[c,p,gg] <= sum{(gg,d) in GD: gg = g} minutes[gg,d];

end;
