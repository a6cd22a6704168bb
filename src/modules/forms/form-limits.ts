/**
 * Size limits of form definitions and answers. No imports: the admin app's builder imports this file, and importing
 * the Zod schemas there would make Zod probe for eval at load, which the admin app's CSP reports as a violation.
 */
/** The builder shows them; the API refuses beyond them. */
export const FORM_LIMITS = {
  key: 40,
  fields: 60,
  options: 100,
  fieldName: 40,
  label: 300,
  help: 2000,
  title: 200,
  description: 4000,
  optionValue: 80,
  conditionDepth: 6,
  conditionTerms: 40,
  locales: 40,
  /** Characters of one text answer, whatever the field says. */
  answerText: 20_000,
  /** Bytes of one attachment, whatever the field says, and of all of one submission's attachments. */
  fileBytes: 10 * 1024 * 1024,
  submissionFileBytes: 20 * 1024 * 1024,
  filesPerSubmission: 5,
} as const;
