import JointPlan
