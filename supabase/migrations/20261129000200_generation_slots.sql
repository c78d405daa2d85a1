-- Generation slots: a generation for a playlist reserves the positions of all its slots when it
-- begins, and each lesson is saved straight into its own slot's position as it arrives, so the
-- playlist is never re-sorted afterwards (docs/database.md).
--
-- Positions are sort keys. A slot that fails leaves its number unused until the request finishes;
-- finish_generation then renumbers the playlist 0..n-1 in the same order, so no gap is ever shown
-- (the learner's page lists lessons by order, and the API's `position` is contiguous once done).

alter table public.generation_requests add column if not exists playlist_position_base int;

comment on column public.generation_requests.playlist_position_base is
  'Position of slot 0 in the playlist; slot i lands at base + i. Reserved by begin_generation.';
