/* window.mod -- one window of the large-neighbourhood search (issue 11): the day-indexed
   integer program restricted to a few working days x a few enterprises, everything outside
   the window fixed.

   Built through GLPK's C API in Sources/JointPlan/Solver/WindowSearch.swift
   (WindowModel.linearModel); WindowModel.mathProgData() writes the same program as data
   for this model, and Tests/JointPlanTests/WindowSearchTests.swift solves windows both ways
   and asserts the same optimum:
       glpsol -m Models/window.mod -d window.dat

   V: candidate visits, one per (enterprise, day) of the window where the enterprise may be
   visited and some open check may take place (rule 1 blackout, rule 7 spacing to the pair's
   checks outside the window). Q: the checks a candidate visit may carry. X: the inspectors
   who may be on its team (rule 2: certified, available, not recused, a visit slot left).
   CAN: for a non-delegable item, the team candidates of its department (rule 3).
   A visit's length is base + its busiest department's check minutes, and every member is
   there for the whole visit (T >= L when x = 1). tau: travel from where the inspector
   already is that day. PD: inspector-days with their visit slots and minutes left
   (rule 4), never below what the incumbent's window visits use in this estimate, so that
   the incumbent is a solution. K: checks still to place per (enterprise, item). SC: pairs
   of candidate visits too close for an item's spacing. R: checks that may be done remotely
   instead (a day and an inspector of the department with the minutes exist; the roster
   then places them, rule 5). E: the on-site cap left (rule 8).
   The chosen visits are then rebuilt exactly by the roster (times of day, travel, breaks)
   and the whole plan is kept only if it is lexicographically better. */

param base >= 0;
param team >= 1;
param M >= 0;               # longest stretch of a working day (a visit's longest)
param Wc >= 0;              # weight of one unit of unmet work
param Wv >= 0;              # weight of one on-site visit

set V;
param w{V} >= 0;            # unmetWeight of the visit's enterprise
param ent{V} symbolic;
param most{V} >= 0;         # the longest the visit can be (base + its busiest department's candidates, <= M)

set Q dimen 2;              # (visit, item)
param mins{Q} >= 0;
param grp{Q} symbolic;      # the item's department (a length row per department)
param deleg{Q} binary;

set X dimen 2;              # (visit, inspector)
param tau{X} >= 0;
set CAN dimen 3;            # (visit, item, inspector) who may perform it
param ipd{X} symbolic;      # the inspector-day of (visit, inspector)

set PD;
param slots{PD} >= 0;
param free{PD} >= 0;

set K dimen 2;              # (enterprise, item)
param demand{K} >= 0;
set R dimen 2 within K;     # pairs that may be done remotely instead
param rmins{R} >= 0;        # remote minutes
param rw{R} >= 0;           # unmetWeight of the enterprise
set FY within V;            # pinned visits (rule 9): they stay ...
set FZ within Q;            # ... with their checks ...
set FX within X;            # ... and their team; checks may be added
set SC dimen 3;             # (visit, visit, item)
set PRE dimen 3;            # rule 11: (visit, p, q): p goes only if q goes (q comes before p in
                            # the draw's order of their department: the program picks how many)
set E;
param capleft{E} >= 0;

set G := setof{(v,i) in Q} (v, grp[v,i]);

var y{V} binary;
var z{Q} binary;
var x{X} binary;
var L{v in V} >= 0, <= most[v];
var T{X} >= 0;
var r{(e,i) in R} integer >= 0, <= demand[e,i];

minimize cost: sum{(v,i) in Q} -Wc * w[v] * z[v,i] + sum{v in V} Wv * y[v]
             + sum{(v,p) in X} (T[v,p] + tau[v,p] * x[v,p])
             + sum{(e,i) in R} (rmins[e,i] - Wc * rw[e,i]) * r[e,i];

s.t. carry{(v,i) in Q}: z[v,i] <= y[v];
s.t. perform{(v,i) in Q: deleg[v,i] = 0}: z[v,i] <= sum{(vv,ii,p) in CAN: vv = v and ii = i} x[v,p];
s.t. nonempty{v in V}: y[v] <= sum{(vv,i) in Q: vv = v} z[vv,i];
s.t. member{(v,p) in X}: x[v,p] <= y[v];
s.t. drawn{(v,p,q) in PRE}: x[v,p] <= x[v,q];
s.t. teamsize{v in V}: sum{(vv,p) in X: vv = v} x[vv,p] >= team * y[v];
s.t. length{(v,g) in G}: L[v] >= base * y[v] + sum{(vv,i) in Q: vv = v and grp[vv,i] = g} mins[vv,i] * z[vv,i];
s.t. occupy{(v,p) in X}: T[v,p] >= L[v] - most[v] * (1 - x[v,p]);
s.t. slotsleft{d in PD}: sum{(v,p) in X: ipd[v,p] = d} x[v,p] <= slots[d];
s.t. minutesleft{d in PD}: sum{(v,p) in X: ipd[v,p] = d} (T[v,p] + tau[v,p] * x[v,p]) <= free[d];
s.t. place{(e,i) in K}: sum{(v,ii) in Q: ent[v] = e and ii = i} z[v,ii] + (if (e,i) in R then r[e,i] else 0) <= demand[e,i];
s.t. spacing{(a,b,i) in SC}: z[a,i] + z[b,i] <= 1;
s.t. pinvisit{v in FY}: y[v] >= 1;
s.t. pinitem{(v,i) in FZ}: z[v,i] >= 1;
s.t. pinmember{(v,p) in FX}: x[v,p] >= 1;
s.t. cap{e in E}: sum{v in V: ent[v] = e} y[v] <= capleft[e];

end;
