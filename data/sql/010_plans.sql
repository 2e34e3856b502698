-- 010: plans at national scale.  Inside goal_detail the planner cannot see how
-- many submissions the as-of picks, guesses one, and joins the settings of
-- 1,741 municipalities to 30,000 facilities by nested loop (13 s measured);
-- hash joins take 90 ms.  Steer this one function, nothing else.
ALTER FUNCTION kdx.goal_detail(text, date) SET enable_nestloop = off;
