export { createHelpfulSummaries, type HelpfulCount, type HelpfulSummaries } from './count-helpful-votes.js';
export {
  type CreateTicketResult,
  createTicket,
  createTicketIn,
  requesterValue,
  type TicketInput,
  ticketText,
  updateTicketStatus,
} from './create-ticket.js';
export { getTicket, getVote, listTickets, listVotes, summariseSuspectVotes } from './feedback.queries.js';
export { feedbackRoutes } from './feedback.routes.js';
export {
  type CreateTicketRequest,
  type TicketView,
  type VoteRequest,
  type VoteView,
  ZCreateTicketRequest,
  ZTicketView,
  ZVoteRequest,
  ZVoteView,
} from './feedback.schema.js';
export {
  type FeedbackTables,
  SUSPECT_REASONS,
  type SuspectReason,
  TICKET_STATUSES,
  type TicketStatus,
  VOTE_REASONS,
  type VoteReason,
} from './feedback.tables.js';
export { feedbackImportRoutes } from './feedback-import.routes.js';
export {
  type ImportTicketsResult,
  importTickets,
  readTicketFile,
  TICKET_FIELDS,
  type TicketField,
  TicketFileError,
  type TicketFileRow,
} from './import-tickets.js';
export {
  checkVoteRecords,
  type ImportVotesOptions,
  type ImportVotesResult,
  importVotes,
  type ReadVotesResult,
  readVotes,
  type VoteImportProblem,
  type VoteImportRow,
} from './import-votes.js';
export { type FileRecord, type RecordFormat, readRecords } from './read-records.js';
export { readVoteState, VOTE_STATES, type VoteState } from './read-vote-state.js';
export { cleanComment, readerVote, type SubmitVoteResult, submitVote } from './submit-vote.js';
export { voteStateRoutes, ZVoteStateResponse } from './vote-state.routes.js';
export {
  SHARED_VOTE_STATE,
  VoteWidget,
  type VoteWidgetProps,
  type VoteWidgetState,
  voteStateFor,
} from './vote-widget.js';
