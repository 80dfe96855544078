/* bound.mod -- the lower bound on the weighted unmet work (spec 3.2, objective 1).

   A capacity relaxation valid for EVERY plan of the scenario, so its optimum (or the best
   bound of its search) never exceeds the true optimum. jointplan builds the same program
   through GLPK's C API in Sources/JointPlan/Solver/Bound.swift (BoundModel.linearModel);
   Tests/JointPlanTests/ModelTests.swift builds small instances both ways and asserts the
   same optimum. `jointplan solve --write-models DIR` writes DIR/bound.dat for this model:
       glpsol -m Models/bound.mod -d DIR/bound.dat

   Enterprises with identical duties are grouped (G); K lists each group's items with the
   checks that remain possible after the structural losses (cap, white list, blackout,
   spacing, no inspector, recusal), which BoundModel adds to this program's optimum. */

param base >= 0;            # policy.visitBaseMinutes
param team >= 1;            # policy.minInspectorsPerVisit

set D;                      # departments
param slots{D} >= 0;        # inspector-visits over the horizon: certified, available days x maxVisitsPerDay
param minutes{D} >= 0;      # inspector-minutes over the horizon: available days x working minutes

set G;                      # groups of alike enterprises
param n{G} >= 1;            # enterprises in the group
param w{G} >= 0;            # policy.unmetWeight of their tier
param cap{G} >= 0;          # on-site visit cap (tier cap, white list) -- rule 8

set K dimen 2;              # (group, item) pairs with required checks
param dept{K} symbolic in D;
param k{K} >= 1;            # checks still possible per enterprise
param onsite{K} binary;     # can be done on site
param remote{K} binary;     # can be done remotely (rule 5)
param deleg{K} binary;      # delegable: any team member may perform it (rule 3)
param mins{K} >= 0;         # item minutes on site
param rmins{K} >= 0;        # remote minutes

set GD := setof{(g,i) in K: onsite[g,i] = 1 and deleg[g,i] = 0} (g, dept[g,i]);

var V{g in G} integer >= 0, <= n[g] * cap[g];                       # visits to the group
var on{(g,i) in K} integer >= 0, <= onsite[g,i] * n[g] * min(k[g,i], cap[g]);
var rem{(g,i) in K} integer >= 0, <= remote[g,i] * n[g] * k[g,i];
var v{(g,d) in GD} integer >= 0, <= n[g] * cap[g];                  # visits with a member of d

minimize unmet: sum{(g,i) in K} w[g] * (n[g] * k[g,i] - on[g,i] - rem[g,i]);

# rule 6: every required check at most once (on site or remote)
s.t. checks{(g,i) in K}: on[g,i] + rem[g,i] <= n[g] * k[g,i];
# rule 3 (A12): a visit holds one occurrence of an item, so occurrences need distinct visits
s.t. visits{(g,i) in K: onsite[g,i] = 1}: V[g] >= on[g,i];
# rule 3: a non-delegable check needs a member of its department on that visit
s.t. deptvisits{(g,i) in K: onsite[g,i] = 1 and deleg[g,i] = 0}: v[g, dept[g,i]] >= on[g,i];
s.t. teamvisits{(g,d) in GD}: V[g] >= v[g,d];
# rule 4: each member of a visit uses one of his maxVisitsPerDay
s.t. deptslots{d in D}: sum{(g,dd) in GD: dd = d} v[g,dd] <= slots[d];
# rules 1 and 4: the department's member is on site for base + his checks; remote minutes count too
s.t. deptminutes{d in D}:
    sum{(g,dd) in GD: dd = d} base * v[g,dd]
  + sum{(g,i) in K: dept[g,i] = d and deleg[g,i] = 0} mins[g,i] * on[g,i]
  + sum{(g,i) in K: dept[g,i] = d} rmins[g,i] * rem[g,i] <= minutes[d];
# rule 2: at least `team` inspectors per visit; and at least one per department on it
s.t. teamslots: sum{g in G} team * V[g] <= sum{d in D} slots[d];
s.t. deptslotsall: sum{(g,d) in GD} v[g,d] <= sum{d in D} slots[d];
s.t. allminutes: sum{g in G} team * base * V[g]
  + sum{(g,i) in K} (mins[g,i] * on[g,i] + rmins[g,i] * rem[g,i]) <= sum{d in D} minutes[d];

end;
