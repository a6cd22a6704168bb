-- Theme discovery runs in a worker thread: a run is recorded as 'running' when it starts and becomes 'ready' (with its
-- proposals) or 'failed' (with the reason). One running run at a time, enforced here so two processes cannot both
-- start one; a run left 'running' by a process that died is treated as failed after 10 minutes (run-theme-discovery.ts
-- marks it so before starting another). Texts are clustered per detected language; languages with too few texts to
-- cluster are counted in too_few, and each proposal records its language.
ALTER TABLE theme_runs ADD COLUMN status text NOT NULL DEFAULT 'ready' CHECK (status IN ('running', 'ready', 'failed'));
ALTER TABLE theme_runs ADD COLUMN progress real NOT NULL DEFAULT 1 CHECK (progress BETWEEN 0 AND 1);
ALTER TABLE theme_runs ADD COLUMN error text CHECK (error IS NULL OR length(error) <= 500);
ALTER TABLE theme_runs ADD COLUMN too_few integer NOT NULL DEFAULT 0;
-- Per language: [{ "language": "en", "texts": 120, "clustered": true, "k": 9 }, …]
ALTER TABLE theme_runs ADD COLUMN languages jsonb NOT NULL DEFAULT '[]';
ALTER TABLE theme_runs ADD COLUMN finished_at timestamptz;
CREATE UNIQUE INDEX theme_runs_one_running_idx ON theme_runs (status) WHERE status = 'running';
ALTER TABLE theme_proposals ADD COLUMN language text CHECK (language IS NULL OR length(language) BETWEEN 2 AND 8);
