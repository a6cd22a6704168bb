export { contactPages } from './contact-pages.js';
export {
  type FiledTicket,
  type FormSubmissionInput,
  fileFormTicket,
  newTicketReference,
  type SubmissionAttachment,
} from './file-ticket.js';
export * from './form-logic.js';
export { MESSAGE_LANGUAGES, problemMessage } from './form-messages.js';
export { type LoadedForm, listCurrentForms, loadCurrentForm, loadFormVersion } from './forms.queries.js';
export { formsRoutes } from './forms.routes.js';
export * from './forms.schema.js';
export type { DeliveryStatus, FormsTables, SubmissionPrediction } from './forms.tables.js';
export { registerFormsJobs } from './forms-jobs.js';
export { formsPublicRoutes } from './forms-public.routes.js';
export { helpdeskRoutes } from './helpdesk.routes.js';
export { type FieldPrediction, matchCategoryOption, PREDICT_TEXT_MAX, predictField } from './predict-field.js';
export {
  type LocaleReading,
  type PublicField,
  type PublicForm,
  presentPublicForm,
  publicFormAsDefinition,
} from './present-form.js';
export { DEFLECTIONS_PER_NETWORK_PER_DAY, recordDeflection } from './record-deflection.js';
export { createForm, type FormWriteOptions, updateForm } from './save-form.js';
export { type ArticleSuggestion, SUGGEST_TEXT_MAX, suggestArticles } from './suggest-articles.js';
export { longEnoughToSuggest } from './suggest-threshold.js';
export { issueSuggestionToken, type SuggestionClaim, verifySuggestionToken } from './suggestion-token.js';
