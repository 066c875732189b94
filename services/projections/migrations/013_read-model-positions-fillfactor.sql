-- Up Migration

-- Every batch moves the positions of each read model in each stream it touches: room left on each page
-- lets PostgreSQL rewrite a position in place (a HOT update, no new index entry). Pages written from now on
-- keep it; a rebuild rewrites them. Measured with `scripts/benchmark rebuild --schema S` on 200,252 events,
-- two runs each, n_tup_hot_upd of pg_stat_user_tables: 86 % of the moves HOT at 60, 62-88 % at 100 (as the
-- space freed by the previous rebuild's DELETE allowed); the rebuild's time was the same within noise.
ALTER TABLE read_model_positions SET (fillfactor = 60);
