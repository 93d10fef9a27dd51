-- The moment a connector's current budget window opened: window_count counts the requests taken since then and
-- starts again at 0 when the window has passed, so the console and the API can show how much of the window is used
-- and when it starts again. NULL until the first request after this migration opens a window.
ALTER TABLE crm_rate ADD COLUMN window_opened DATETIME(6) NULL;
