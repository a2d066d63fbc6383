// Interface strings (English). Trial texts come from the trial file.
export default {
  loading: 'Loading the questionnaire…',
  loadFailed: 'The questionnaire could not be loaded. Please reload the page or try again later.',
  yes: 'Yes',
  no: 'No',
  unknown: "I don't know",
  none: 'None',
  unit: 'Unit',
  result: 'Screening result',
  criteria: 'Criteria',
  verdict: {
    eligible: 'You may be eligible. The study team decides.',
    not_eligible: 'Not eligible for this study.',
    incomplete: 'Not decided yet: more answers are needed.',
  },
  status: {
    pass: 'Meets',
    fail: 'Does not meet',
    unknown: 'Not known yet',
    not_applicable: 'Does not apply',
    deferred: 'The study team checks',
  },
};
