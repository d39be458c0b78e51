"""The demo plans' words: goals, strategies, checkpoints, reviews, co-reflections and support requests.

Demo data, in English, that never names a student: marker students are codes
such as M-07. capacity.planning.demo.script draws from these banks.
"""

from __future__ import annotations

from capacity.planning.models import (
    Driver,
)

LITERACY_GOALS = (
    "More Grade {grade} students will read for meaning: making inferences and supporting them with evidence "
    "from the text.",
    "Grade {grade} students will write organised, well-developed responses that show their thinking.",
    "Junior students will choose and use comprehension strategies on their own when a text gets hard.",
    "More primary students will read fluently and with understanding by the end of Grade 3.",
    "Students will express their ideas clearly in writing in every subject, using success criteria built "
    "with them.",
    "Every student in Grades {grade_low} to {grade} will talk about what they read and back up their ideas.",
    "Students will build the vocabulary they need to understand and write about texts across the curriculum.",
)
MATH_GOALS = (
    "More Grade {grade} students will solve multi-step problems and explain their reasoning.",
    "Students will develop number sense and fluency with operations, so that fewer finish the year below "
    "level 3 in mathematics.",
    "Junior students will reason proportionally, moving between models, numbers and words.",
    "Students will stay with rich mathematics tasks when they are hard and communicate how they solved them.",
    "Grade {grade} students will connect fractions, decimals and percents and use them to solve problems.",
    "Students will use spatial reasoning and measurement to model real situations.",
)
WELL_BEING_GOALS = (
    "Every student will feel they belong at school and will name an adult they can go to.",
    "Students will come to school regularly and take part in the life of the school.",
    "Students will learn to recognise and manage their emotions so they are ready to learn.",
    "Families will feel welcome and take part as partners in their children's learning.",
    "Students will see themselves and their communities in what they learn and read.",
)
GROUP_GOALS = {
    "ell": "English language learners in Grade {grade} will read and write with growing independence, with "
    "language supports planned into every lesson.",
    "special_education": "Students with special education needs will reach their learning goals in "
    "{subject}, with the accommodations in their plans used every day.",
    "male": "Boys in Grade {grade} will write more, and with more purpose, about topics that matter to them.",
}
MARKER_GOALS = (
    "Our marker students ({codes}), who read just below the standard in the fall, will reach level 3 by June; "
    "what works for them will guide the whole division.",
    "The team will follow marker students {codes} closely in mathematics and use their work to decide the next "
    "teaching move each month.",
    "Marker students {codes} will explain their thinking in writing, and their progress will tell us whether "
    "our writing approach is working.",
)
SECONDARY_GOALS = (
    (
        "More Grade 9 students will earn all of their credits in their first year.",
        "Grade 9 students on track to earn all eight credits (%)",
        "other",
    ),
    (
        "Students writing the literacy test for the first time will succeed on their first attempt.",
        "First-time eligible students successful on the literacy test (%)",
        "literacy",
    ),
    (
        "Students in Grade 9 mathematics will succeed in the de-streamed course.",
        "Grade 9 mathematics students earning the credit (%)",
        "mathematics",
    ),
    (
        "Every student will have a pathway plan and a caring adult who knows it.",
        "Students with an up-to-date individual pathways plan (%)",
        "well_being",
    ),
    (
        "Students will feel safe and connected at school.",
        "Students who report feeling safe and connected on the school climate survey (%)",
        "well_being",
    ),
)
CUSTOM_MEASURES = {
    "literacy": (
        "Students reading at or above grade level on running records (%)",
        "Students meeting the success criteria on the common writing task (%)",
        "Students using two or more comprehension strategies on the division reading task (%)",
    ),
    "mathematics": (
        "Students at level 3 or above on the common problem-solving task (%)",
        "Students fluent with number facts on the monthly check (%)",
    ),
    "well_being": (
        "Students who say an adult at school cares about them (climate survey, %)",
        "Students absent fewer than one day in ten (%)",
        "Students who say they belong at this school (climate survey, %)",
    ),
    "marker": (
        "Marker students at the expected level on running records (%)",
        "Marker students meeting the success criteria on the common task (%)",
    ),
}

# (action, who is responsible, professional learning, resources, drivers)
StrategyText = tuple[str, str, str, str, list[str]]
LITERACY_STRATEGIES: tuple[StrategyText, ...] = (
    (
        "Each division co-plans a guided reading cycle and brings student work to a monthly moderation session.",
        "Division leads",
        "Moderating student writing with the board's literacy consultant",
        "Release time for four half days",
        [Driver.COLLABORATIVE_WORK, Driver.PEDAGOGY],
    ),
    (
        "Teachers co-construct success criteria for writing with students and give descriptive feedback "
        "against them.",
        "Junior teachers",
        "Assessment for learning: feedback that moves learning forward",
        "Mentor texts for each grade",
        [Driver.PEDAGOGY],
    ),
    (
        "A literacy learning team meets every two weeks to look at marker students' work and plan the next "
        "teaching move.",
        "Literacy lead and principal",
        "Pedagogical documentation in a learning team",
        "Common planning time every second week",
        [Driver.COLLABORATIVE_WORK, Driver.CAPACITY_BUILDING],
    ),
    (
        "Daily read-alouds and accountable talk in every class, with prompts that ask for evidence from the text.",
        "All classroom teachers",
        "Accountable talk: prompts and routines",
        "Classroom libraries refreshed with diverse texts",
        [Driver.PEDAGOGY],
    ),
    (
        "Teachers visit each other's classrooms in triads to see the new comprehension routines in use.",
        "Principal and triads",
        "Co-teaching and debriefing",
        "Coverage for classroom visits",
        [Driver.CAPACITY_BUILDING, Driver.COLLABORATIVE_WORK],
    ),
    (
        "The school joins the board's primary literacy network and shares its inquiry with two other schools.",
        "Principal",
        "Network sessions with the board's consultants",
        "Travel and release for network days",
        [Driver.SYSTEMNESS, Driver.COLLABORATIVE_WORK],
    ),
    (
        "Small-group instruction three times a week for students just below the standard, planned from running "
        "records.",
        "Grade teams and the resource teacher",
        "Using running records to plan instruction",
        "Levelled texts",
        [Driver.PEDAGOGY, Driver.CAPACITY_BUILDING],
    ),
)
MATH_STRATEGIES: tuple[StrategyText, ...] = (
    (
        "Weekly co-planning of a rich problem for each junior class, followed by a consolidation discussion.",
        "Junior team",
        "Leading a consolidation discussion",
        "Manipulatives for each classroom",
        [Driver.COLLABORATIVE_WORK, Driver.PEDAGOGY],
    ),
    (
        "Number talks every day for ten minutes in Grades 1 to 6.",
        "All classroom teachers",
        "Number talks: purposeful strategies and representations",
        "",
        [Driver.PEDAGOGY],
    ),
    (
        "A mathematics learning team studies the same lesson in three classrooms and refines it together.",
        "Math lead and the board's math facilitator",
        "Collaborative inquiry with the facilitator",
        "Release time for the lesson study",
        [Driver.CAPACITY_BUILDING, Driver.COLLABORATIVE_WORK],
    ),
    (
        "Teachers use the common problem-solving task three times a year and moderate the results together.",
        "Grade teams",
        "Moderating mathematics tasks",
        "",
        [Driver.COLLABORATIVE_WORK, Driver.PEDAGOGY],
    ),
    (
        "The school works with its family of schools on proportional reasoning from Grade 6 to Grade 9.",
        "Principal and secondary mathematics head",
        "Cross-panel sessions",
        "",
        [Driver.SYSTEMNESS],
    ),
    (
        "Visible thinking: students solve problems at vertical surfaces in random groups twice a week.",
        "Grade 4 to 6 teachers",
        "Thinking classroom routines",
        "Whiteboards for each classroom",
        [Driver.PEDAGOGY, Driver.CAPACITY_BUILDING],
    ),
)
WELL_BEING_STRATEGIES: tuple[StrategyText, ...] = (
    (
        "A breakfast program every morning, run with a community partner.",
        "Vice-principal and community partner",
        "",
        "Food donated by the partner; space in the library",
        [Driver.SYSTEMNESS],
    ),
    (
        "Every student is matched with an adult mentor who checks in weekly.",
        "All staff",
        "Building relationships with students who are disengaged",
        "",
        [Driver.CAPACITY_BUILDING],
    ),
    (
        "Classroom circles each week so students can name how they are and what they need.",
        "Classroom teachers",
        "Restorative practices",
        "",
        [Driver.PEDAGOGY, Driver.COLLABORATIVE_WORK],
    ),
    (
        "Family learning evenings each term, with interpreters, on how to support reading at home.",
        "School council and principal",
        "",
        "Interpreters and childcare",
        [Driver.COLLABORATIVE_WORK],
    ),
    (
        "Attendance team reviews each month which students are missing school and calls families first.",
        "Attendance team",
        "",
        "",
        [Driver.COLLABORATIVE_WORK, Driver.SYSTEMNESS],
    ),
)
SECONDARY_STRATEGIES: tuple[StrategyText, ...] = (
    (
        "A student success team meets weekly on every Grade 9 student at risk of missing a credit.",
        "Student success teacher",
        "Early intervention for credit recovery",
        "",
        [Driver.COLLABORATIVE_WORK, Driver.SYSTEMNESS],
    ),
    (
        "Subject teams co-plan literacy strategies for their courses and share them at department meetings.",
        "Department heads",
        "Literacy across the content areas",
        "",
        [Driver.CAPACITY_BUILDING, Driver.PEDAGOGY],
    ),
    (
        "Grade 8 and Grade 9 mathematics teachers plan the transition units together.",
        "Mathematics head and feeder school teams",
        "Cross-panel planning",
        "Release days",
        [Driver.SYSTEMNESS, Driver.COLLABORATIVE_WORK],
    ),
)
# Strategies that lead with the wrong drivers: demo plans with these show the warning.
WRONG_STRATEGIES: tuple[StrategyText, ...] = (
    (
        "Post each class's test averages in the staff room and go through them at every staff meeting.",
        "Principal",
        "",
        "",
        [Driver.ACCOUNTABILITY],
    ),
    (
        "Buy a reading app for every student and track the minutes each class logs.",
        "Vice-principal",
        "Vendor training on the app's dashboard",
        "Licences for every student",
        [Driver.TECHNOLOGY],
    ),
    (
        "Walk-throughs with a checklist; teachers rated below expectations get an improvement plan.",
        "Principal",
        "",
        "",
        [Driver.ACCOUNTABILITY, Driver.INDIVIDUAL_QUALITY],
    ),
    (
        "Interactive displays in every junior classroom, with practice software for mathematics.",
        "Technology lead",
        "Training on the software",
        "Displays for eight classrooms",
        [Driver.TECHNOLOGY],
    ),
    (
        "Each teacher picks a program from the catalogue to run in their own class.",
        "Classroom teachers",
        "",
        "Program budget",
        [Driver.FRAGMENTED],
    ),
)

BOARD_GOALS = {
    "mission": (
        "Every school will know, and work toward, the same three priorities for student achievement "
        "and well-being.",
        "other",
    ),
    "instructional_guidance": (
        "A coherent approach to mathematics teaching across the board, so that more "
        "Grade 6 students reach the provincial standard.",
        "mathematics",
    ),
    "evidence": (
        "School and system teams will weigh several kinds of evidence (results, classroom work, student "
        "voice) in every planning decision.",
        "literacy",
    ),
    "improvement_processes": (
        "Every school improvement plan will follow the inquiry cycle, with checkpoints the "
        "board monitors alongside the schools.",
        "literacy",
    ),
    "professional_development": (
        "Job-embedded professional learning in every school, tied to what its "
        "evidence shows students need.",
        "literacy",
    ),
    "alignment": (
        "Budgets, staffing and time will follow the board's priorities, with more support going to "
        "schools in focused intervention.",
        "other",
    ),
    "leadership_development": (
        "Every principal and vice-principal will learn with peers in a leadership "
        "network focused on instruction.",
        "other",
    ),
    "trustees": (
        "Trustees will set policy around student achievement and well-being and review progress with "
        "the director twice a year.",
        "well_being",
    ),
    "relationships": (
        "Families, community partners and staff will work together toward the board's goals.",
        "well_being",
    ),
}
BOARD_MEASURES = {
    "mission": "Schools whose plan names the board's three priorities (%)",
    "alignment": "Schools in focused intervention with a dedicated coach (%)",
    "leadership_development": "Principals and vice-principals active in a leadership network (%)",
    "relationships": "Families who say the school keeps them informed (family survey, %)",
    "trustees": "Students who say they belong at school (board climate survey, %)",
}
BOARD_STRATEGIES: tuple[StrategyText, ...] = (
    (
        "Superintendents visit every school's learning team each term and give feedback on its inquiry.",
        "Superintendents of education",
        "Learning walks with a focus on evidence of student learning",
        "",
        [Driver.SYSTEMNESS, Driver.CAPACITY_BUILDING],
    ),
    (
        "Instructional coaches are assigned first to schools in focused intervention.",
        "Director and superintendents",
        "",
        "Six coaching positions",
        [Driver.CAPACITY_BUILDING, Driver.SYSTEMNESS],
    ),
    (
        "Networks of schools with similar needs meet four times a year to share what works.",
        "Program department",
        "Facilitating collaborative inquiry",
        "Release time for network days",
        [Driver.COLLABORATIVE_WORK, Driver.SYSTEMNESS],
    ),
    (
        "A common mathematics resource and assessment framework for Grades 1 to 8.",
        "Mathematics lead",
        "Sessions for every school's math lead",
        "Board-wide licences for the resource",
        [Driver.PEDAGOGY, Driver.SYSTEMNESS],
    ),
    (
        "Principals bring their school's evidence to a board data day in the fall and plan with their peers.",
        "Research and assessment team",
        "Reading the evidence together",
        "",
        [Driver.COLLABORATIVE_WORK, Driver.CAPACITY_BUILDING],
    ),
    (
        "A board dashboard ranks schools by results each month.",
        "Research and assessment team",
        "",
        "Dashboard licence",
        [Driver.ACCOUNTABILITY, Driver.TECHNOLOGY],
    ),
)

TITLES = {
    "literacy": (
        "Reading for meaning",
        "Writing with purpose",
        "Literacy across the day",
        "Every child a reader",
    ),
    "mathematics": ("Reasoning in mathematics", "Numeracy first", "Thinking mathematically"),
    "well_being": ("Belonging and learning", "Ready to learn"),
    "other": ("Pathways to success", "Every credit counts"),
}
BOARD_TITLES = (
    "Every student, every school",
    "Learning together",
    "One board, three priorities",
    "Achievement and well-being for all",
)
CHECKPOINTS = (
    "First look at student work against the targets",
    "Fall running records and common task",
    "Mid-year review of the marker students",
    "Winter moderation of the common task",
    "Spring check on the targets",
    "Look at the climate survey results",
    "Review of strategies with the learning team",
    "End-of-year evidence before reflection",
)
EVIDENCE = (
    "Running records for every Grade 1 to 3 student; writing samples from the common task.",
    "Results of the common problem-solving task, moderated by grade teams.",
    "Marker students' work samples, with the team's notes and photos of their thinking.",
    "Attendance for the term and the student voice survey.",
    "Classroom observations from the triad visits and teachers' planning notes.",
)
PROGRESS = (
    "About two thirds of the students we follow have moved up a level; the rest are holding steady.",
    "Progress is slower than planned in writing; reading is on track.",
    "The marker students are responding to the small-group work: four of six improved.",
    "Not much change yet. Teachers say the routines are new and not yet used every day.",
    "Students are explaining their thinking more; the task results show it in Grades 4 and 5 but not 6.",
    "Attendance improved for most of the students we follow; three are still missing more than a day a week.",
)
ADJUSTMENTS = (
    "Add a second small-group session each week for the students who have not moved.",
    "Move the moderation session earlier so teachers can act on it before the report cards.",
    "Ask the board's consultant to model a lesson in Grade 6.",
    "Keep the strategy; it needs more time.",
    "Spend less time on the app and more on talk about texts.",
    "Bring two families into the planning of the next learning evening.",
)
RETURN_COMMENTS = (
    "The targets are clear, but the strategies do not say how teachers will learn the new approach. Add the "
    "professional learning and who leads it.",
    "One of the goals has no target yet. Tie it to the Grade 6 results or to a measure the team will collect.",
    "This is a lot of goals for one year. Which two or three matter most for the students you identified?",
    "The plan leans on monitoring scores. What will change in classrooms? Say what teachers will do together.",
    "Please add a checkpoint before the winter break, so the team can adjust early.",
    "The baseline for the writing target looks off; check it against last year's results.",
)
RETURN_BOARD_COMMENTS = (
    "The goals fit the board's evidence, but the plan does not say how the schools in focused intervention "
    "will be supported. Add that before we accept it.",
    "Please tie the well-being goal to a measure you will collect, and say when the trustees will see it.",
)
THEMES = (
    "Teachers are talking about student work, not only about results.",
    "The strategies are the right ones but they are spread thin: five initiatives in one term.",
    "Marker students are a strong anchor for the team's conversations.",
    "Writing is moving; mathematics is not yet.",
    "Students' voice is missing from the evidence so far.",
    "The school's work on belonging is showing up in attendance.",
    "Leadership for learning is shared: the literacy lead runs the learning team.",
    "The plan depends on one person; what happens if they leave?",
)
KEEP = (
    "Keep the monthly moderation: it is where teachers learn from each other.",
    "Keep the small-group instruction and the records that go with it.",
    "Keep following the marker students; the notes are excellent.",
    "Keep the family evenings; the turnout has grown each term.",
    "Keep the checkpoints honest, as they have been.",
)
CONSIDER = (
    "Consider dropping one strategy so the others get the time they need.",
    "Consider visiting a school in the network that moved Grade 6 mathematics last year.",
    "Consider asking students what helps them learn, and adding it to the evidence.",
    "Consider whether the target is high enough: the school already passed it in one grade.",
    "Consider how the new teachers will be brought into the routines.",
)
REPLIES = (
    "Thank you. We will drop the reading app and put that time into the learning team.",
    "Agreed on student voice: we will add a short survey to the next checkpoint.",
    "We have set up a visit for the junior team next month.",
    "Good question. The vice-principal will co-lead the learning team from January.",
    "We talked about the target as a staff and decided to raise it.",
    "Thanks for noticing. The teachers were glad to hear it.",
)
SYSTEM_REPLIES = (
    "Glad to hear it. The consultant can join your next session if that helps.",
    "That sounds right. Let us know after the spring checkpoint.",
)
TRIED = (
    "We tried guided reading in small groups for two terms, but our Grade 3 results did not move and we are not "
    "sure what to do next.",
    "Our junior teachers have used number talks since September; students are more confident but still "
    "struggle with multi-step problems.",
    "We reorganised the timetable for a daily literacy block, yet a third of our students are still below the "
    "standard in writing.",
    "We started a breakfast program and mentoring, and attendance is better, but our students learning English "
    "are still far behind in reading.",
    "We ran a lesson study in Grade 6 mathematics, and teachers want someone who can model the consolidation "
    "part of the lesson.",
    "We have many new teachers this year and the routines we built last year are being lost.",
)
NEED_DETAIL = (
    "A literacy coach in the school one day a week until June.",
    "A session for the whole staff on teaching writing to students learning English.",
    "Someone who has led a lesson study to work with our junior team.",
    "Release time for the learning team to meet every second week.",
    "Advice on which measure to use for our well-being goal.",
    "Levelled texts in French for the primary classes.",
)
ANSWERS = (
    (
        "The board's literacy coach will be in the school every Tuesday from next month until June.",
        ["people"],
    ),
    (
        "We will run a session on writing for English language learners at your next staff meeting, and share "
        "the board's resource.",
        ["professional_learning", "knowledge"],
    ),
    (
        "The math facilitator will join your lesson study for three cycles.",
        ["people", "professional_learning"],
    ),
    ("Release days for four learning-team meetings are approved.", ["resources"]),
    (
        "Here are two measures other schools used, with their surveys; the research officer can help set one up.",
        ["knowledge"],
    ),
    ("We have ordered a set of levelled French texts for each primary class.", ["resources"]),
)
BOARD_TRIED = (
    "We put coaches in our focused-intervention schools, but we have no way to tell which of their practices "
    "make a difference.",
    "Our principals ask for help reading the evidence about students learning English and we lack the "
    "expertise at the board.",
)
IMPACT = (
    "Reading moved more than we expected in the primary grades; the junior grades moved less. The learning "
    "team is now part of how we work.",
    "We met our writing target but not our mathematics target. The strategies we kept to, with time to learn "
    "them together, worked; the ones we added in mid-year did not.",
    "Progress was uneven: students we followed closely improved, others did not. We spread ourselves over too "
    "many strategies.",
    "Attendance and belonging improved, and we see early signs in reading. Mathematics remains our biggest "
    "need.",
)
NEXT_STEPS = (
    "Carry the mathematics goal forward with fewer strategies, and bring the junior team into the lesson study.",
    "Keep the literacy learning team, add student voice to our evidence, and set a higher target for writing.",
    "Focus on two goals next year and start the checkpoints earlier.",
    "Work with the family of schools on the Grade 6 to 9 transition.",
)
