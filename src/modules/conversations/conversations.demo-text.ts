/** Realistic text for the demo's conversation history ({first} = the report's first name, {project} = a project). */

export const AGENDA = [
  'How the sprint went',
  'Blockers on {project}',
  'Feedback from the last design review',
  'Career goals for the next half',
  'Workload and focus time',
  'Priorities for the coming two weeks',
  'On-call load this month',
  'Conference talk proposal',
  'Learning plan check-in',
  'Working with the platform team',
  'Customer escalation follow-up',
  'Pairing and code review habits',
  'Quarterly OKR progress',
  'Time off in the summer',
  'Ideas for the hackathon',
  'Hiring loop feedback',
];

export const SHARED_NOTES = [
  '{first} shipped the last piece of {project}; we agreed the rollout goes to 10% of customers first and that {first} writes the runbook before on-call picks it up.',
  'Talked about the design review: the proposal was strong, but the alternatives section was thin. {first} will add the trade-offs and ask Priya for a second pass.',
  'Workload is high again because of the migration. We moved the reporting dashboard to next sprint so {first} has two mornings of focus time a week.',
  '{first} wants to grow towards a senior role. We picked two things to show over the next quarter: leading the {project} design and mentoring the new hire.',
  'Incident review: the outage last Tuesday came from a missing alert on queue depth. {first} will add the alert and automate the weekly capacity check.',
  'Great job on the customer escalation — the account team called it out. I will mention it at the all-hands; {first} would like to present the fix at the next demo.',
  '{first} is frustrated with how long code reviews take across teams. We agreed to try a review rotation for two sprints and measure pickup time.',
  'Learning plan: the Kubernetes course is halfway; {first} will pair with Jonas on the cluster upgrade to practise on real work.',
  'We went through the OKRs: two on track, the latency objective behind. {first} thinks the target was too ambitious; we will revisit scope at planning.',
  '{first} has an idea for an offline mode prototype. We agreed on a one-week spike after {project} ships, with a short write-up of what was learned.',
  'Upcoming parental leave: we planned the handover of {project} and who covers the on-call rota.',
  '{first} gave me feedback that my last-minute scope changes make planning hard. I will freeze scope at sprint planning and flag changes in writing.',
  'Revenue impact of {project}: the pricing page change lifted trial conversion. {first} will share the numbers with the sales team on Thursday.',
  'Discussed stress after three weekends of release work. {first} takes Friday off; I will keep the release train to weekdays from now on.',
  'We agreed what success looks like for {project}: customers migrate without support tickets, and the old service is switched off by the end of the quarter.',
  'Short one today: {first} is on track, no blockers. We spent the time on how to give difficult feedback to a teammate using the SBI structure.',
];

export const MANAGER_PRIVATE_NOTES = [
  'Seems tired; check in again next week about workload before it turns into burnout.',
  'Ready for a stretch assignment — consider for the {project} lead role.',
  'Was unusually quiet about the reorg. Ask directly next time whether they are worried about their role.',
  'Remember to raise promotion timing with my manager before the calibration window.',
  'Tension with the mobile team lead again; I should talk to the lead myself rather than leave it to {first}.',
  'Strong quarter. Make sure the glue work (reviews, onboarding) is visible in the next write-up.',
  'Mentioned a recruiter call in passing. Retention risk? Follow up gently.',
];

export const REPORT_PRIVATE_NOTES = [
  'Ask about the staff engineer path next time — did not find the moment today.',
  'I still do not understand why {project} was deprioritised. Prepare examples before raising it again.',
  'Felt rushed today. Suggest moving our 1:1 to Thursday mornings.',
  'Write down the three things I want from the next half before the review.',
];

export const ACTIONS = [
  'Write the runbook for {project}',
  'Share the trade-offs section with Priya',
  'Book two focus mornings in the calendar',
  'Draft the {project} design doc',
  'Add the queue-depth alert',
  'Prepare the demo for the all-hands',
  'Propose the review rotation to the team',
  'Finish the Kubernetes course module 4',
  'Revisit the latency objective at planning',
  'Write up the offline-mode spike',
  'Plan the on-call handover',
  'Send the conversion numbers to sales',
  'Ask the mobile lead for a weekly sync',
  'Collect examples for the promotion case',
];

export const RATING_COMMENTS = [
  'Clear next steps, thanks.',
  'Helpful to talk through the workload.',
  'Good to have time for career questions, not just status.',
  'Felt a bit rushed this time.',
  'Useful feedback on the design doc.',
  'Would like more time for the bigger topics.',
  'Really appreciated the honesty.',
];

export const PROJECTS = [
  'Payments v2',
  'Billing migration',
  'Search relevance',
  'Mobile offline mode',
  'Onboarding revamp',
  'EU data residency',
  'Pricing page experiment',
  'Observability rollout',
];

export const DEBRIEF_NOTES = [
  '{project} shipped two weeks late. What went well: the staged rollout and zero customer-facing incidents. What to change: design and backend were not aligned early; next time we pair them from kickoff and agree the API contract in week one.',
  'Outcome of {project}: conversion up 6% in the first fortnight. The team wants to keep the weekly demo habit and to write the experiment plan before building, not after.',
  'Retro on {project}: on-call load spiked during the migration. We agreed to automate the data backfill checks and to protect focus time during the next launch.',
];

export const PEER_NOTES = [
  'Practised a difficult feedback conversation with the SBI structure; role-played it twice. Next: try it for real in the retro and compare notes.',
  'Talked through how to run design reviews so quieter people contribute: circulate the doc a day earlier and ask for written comments first.',
  'Worked on prioritising when everything is urgent. Agreed to try a simple now/next/later list shared with the team.',
  'Shared approaches to mentoring new hires: a first-week pairing plan and a glossary of internal terms.',
];

export const UPWARD_NOTES = [
  'Feedback for my manager: status meetings run long and could be async. We agreed to try a written weekly update instead for a month.',
  'Coached my manager on giving the team more context on why priorities change; they will explain decisions in the planning doc.',
  'Discussed how the manager could recognise glue work more visibly; they will call it out in the monthly update.',
];

export const EXTERNAL_SHARED_NOTES = [
  'Worked on leadership presence in senior meetings: prepare one clear recommendation per topic and say it first.',
  'Explored what the next three years could look like; the director path appeals, but only with time kept for technical work.',
  'Reflected on delegating: identified two responsibilities to hand over this quarter and who could grow into them.',
  'Reviewed progress since last session: the written recommendations landed well; next focus is handling conflict between two leads.',
];

export const EXTERNAL_PRIVATE_NOTES = [
  'Coach notes: strong self-awareness; pattern of over-preparing to avoid being caught out. Explore next time.',
  'Coach notes: energy noticeably lower; ask about workload and sleep before moving on to goals.',
];
