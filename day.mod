/* day.mod -- which eligible visits to do on one working day (stage "schedule").

   Built through GLPK's C API in Sources/JointPlan/Solver/Scheduler.swift (Scheduler.select)
   for every working day; `jointplan solve --write-models DIR` writes DIR/day-YYYY-MM-DD.dat
   with that day's data, and Tests/JointPlanTests/ModelTests.swift solves instances both
   ways and asserts the same optimum:
       glpsol -m Models/day.mod -d DIR/day-2026-01-05.dat

   C: classes of alike eligible visits (same departments needed, team size, minutes and
   value). A visit is eligible on the day when it is the enterprise's next visit, the day
   is inside its window (working day, no blackout, spacing from the last check of each of
   its items -- rules 1 and 7), and pinned visits were placed before this program.
   value = what is lost if the visit never happens (sum of unmetWeight of its checks) times
   an urgency factor (x100 on the last day of its window), minus a tiny cost per
   inspector-minute. R: capacity rows. For each department: its free inspector-visit slots
   today (rule 4: maxVisitsPerDay), levelled to today's share of the quarter's remaining
   demand, and its free minutes (rule 4: working minutes); and the district's free slots
   for whole teams (rule 2: minInspectorsPerVisit). Teams and times are then found by the
   roster, which enforces rule 4 exactly; a selected visit that finds no team stays
   eligible for later days. */

set C;                      # classes of alike eligible visits
set R;                      # capacity rows
param count{C} >= 0;        # eligible visits in the class
param value{C};             # value of doing one visit of the class today
param cap{R} >= 0;          # free capacity of the row today
param use{R, C} default 0;  # capacity one visit of the class uses in the row

var y{c in C} integer >= 0, <= count[c];

maximize done: sum{c in C} value[c] * y[c];

s.t. capacity{r in R}: sum{c in C} use[r,c] * y[c] <= cap[r];

end;
