-- The language of every classifiable text (vote comments, tickets, searches, examples), detected from the text
-- itself (ISO 639-1, or 'und' when it cannot be told), not from the page the reader was on: readers write in their
-- own language on any page. Filled by the categorisation job and before each training snapshot; NULL until then.
ALTER TABLE feedback_items ADD COLUMN language text CHECK (language IS NULL OR length(language) BETWEEN 2 AND 8);
CREATE INDEX feedback_items_language_pending_idx ON feedback_items (id) WHERE language IS NULL;
CREATE INDEX feedback_items_language_idx ON feedback_items (language);
