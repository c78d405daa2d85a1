-- Reporting lessons and reviewing them, and regenerating one lesson of a playlist in place
-- (docs/database.md, "Reports and review").
--
-- A learner reports a lesson once (reason + optional note); it leaves that learner's feed at once and
-- is never served to them again. Three open reports from different learners hold the lesson for review:
-- it is no longer served to new feeds. An admin then removes it (it leaves every feed and the library,
-- playlists keep a "removed" placeholder at its position) or dismisses the reports (it is served again).
-- Where lessons are served from the library (`private.fyp_fill_locked`, *_prefetch.sql) and read by
-- learners (the `lessons_read` policy below, `get_playlist` in *_learner_functions.sql), removed and
-- held lessons are filtered out.

-- ---- value lists -------------------------------------------------------------------------------------

-- Why a learner reports a lesson (lib/contracts/reports.ts reportReasons).
create domain public.report_reason as text
  check (value in ('wrong_answer', 'unclear', 'inappropriate', 'duplicate', 'other'));
-- What an admin's review did with a lesson's reports (lib/contracts/reports.ts reviewActions).
create domain public.review_action as text check (value in ('remove', 'dismiss'));

-- ---- tables --------------------------------------------------------------------------------------------

alter table public.lessons
  add column removed_at timestamptz,
  add column removed_by uuid references public.profiles (id) on delete set null,
  -- Set when the third open report arrives; cleared by a dismissal. Not served to new feeds meanwhile.
  add column held_at timestamptz;

create table public.lesson_reports (
  id uuid primary key default gen_random_uuid(),
  lesson_id uuid not null references public.lessons (id) on delete cascade,
  reporter_id uuid not null references public.profiles (id) on delete cascade,
  reason public.report_reason not null,
  note text check (note is null or char_length(note) between 1 and 500),
  created_at timestamptz not null default now(),
  -- Null while open; set by the admin review that closed it.
  reviewed_at timestamptz,
  reviewed_by uuid references public.profiles (id) on delete set null,
  review public.review_action,
  unique (reporter_id, lesson_id),
  check ((reviewed_at is null) = (review is null))
);
create index lesson_reports_open_idx on public.lesson_reports (lesson_id, created_at) where reviewed_at is null;
create index lesson_reports_lesson_idx on public.lesson_reports (lesson_id);

-- A regeneration replaces one lesson of the request's playlist in place (see the trigger below).
alter table public.generation_requests add column replaces_lesson_id uuid references public.lessons (id) on delete set null;

alter table public.lesson_reports enable row level security;
-- A learner sees their own reports only; admins read every report through the definer functions below.
create policy lesson_reports_read_own on public.lesson_reports for select to authenticated
  using (reporter_id = auth.uid());

-- Removed lessons are gone for learners: the lesson page, feeds and playlists no longer read them
-- (a playlist shows a placeholder at the removed lesson's position, get_playlist's `removed`).
drop policy lessons_read on public.lessons;
create policy lessons_read on public.lessons for select to authenticated
  using ((private_to is null or private_to = auth.uid()) and removed_at is null);

-- ---- reporting (learners) ------------------------------------------------------------------------------

-- How many open reports hold a lesson for review.
create function private.report_hold_threshold() returns int
language sql immutable
set search_path = ''
as $$
  select 3
$$;

-- A report as JSON (the learner's own view: no reporter).
create function private.report_json(r public.lesson_reports) returns jsonb
language sql stable
set search_path = ''
as $$
  select jsonb_build_object('id', r.id, 'lessonId', r.lesson_id, 'reason', r.reason, 'note', r.note,
                            'createdAt', private.iso(r.created_at))
$$;

-- Report a lesson as the signed-in learner: created, or already reported (the first report is kept).
-- Definer because it also takes the lesson out of the learner's feed and may hold it for review, which
-- a learner's own rights do not allow; it acts on auth.uid() only.
create function public.report_lesson(p_lesson_id uuid, p_reason text, p_note text default null) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := private.require_uid();
  v_reason public.report_reason;
  v_note text := nullif(btrim(coalesce(p_note, '')), '');
  v_report public.lesson_reports;
  v_open int;
begin
  begin
    v_reason := p_reason; -- the domain's CHECK is the list
  exception when check_violation then
    perform private.raise_app('invalid_request', format('Unknown reason %L.', p_reason));
  end;
  if v_reason is null then
    perform private.raise_app('invalid_request', 'A reason is required.');
  end if;
  if char_length(v_note) > 500 then
    perform private.raise_app('invalid_request', 'note must be at most 500 characters.');
  end if;
  -- The lesson as this learner may see it: not removed, not someone else's private lesson.
  perform 1 from public.lessons l
   where l.id = p_lesson_id and l.removed_at is null and (l.private_to is null or l.private_to = v_uid)
     for update;
  if not found then
    perform private.raise_app('not_found', 'Lesson not found.');
  end if;

  insert into public.lesson_reports (lesson_id, reporter_id, reason, note)
  values (p_lesson_id, v_uid, v_reason, v_note)
  on conflict (reporter_id, lesson_id) do nothing
  returning * into v_report;
  if v_report.id is null then
    select * into v_report from public.lesson_reports r where r.reporter_id = v_uid and r.lesson_id = p_lesson_id;
    return jsonb_build_object('state', 'already_reported', 'report', private.report_json(v_report));
  end if;

  -- Gone from this learner's feed at once (the library fill never serves it to them again). Closed
  -- rather than deleted, so a feed page still showing it can mark it seen without an error.
  update public.feed_items fi set status = 'seen', seen_at = coalesce(fi.seen_at, now())
   where fi.user_id = v_uid and fi.lesson_id = p_lesson_id and fi.status = 'pending';

  select count(*) into v_open from public.lesson_reports r where r.lesson_id = p_lesson_id and r.reviewed_at is null;
  if v_open >= private.report_hold_threshold() then
    update public.lessons l set held_at = coalesce(l.held_at, now()) where l.id = p_lesson_id;
    -- Nobody has seen it in these feeds yet; after a dismissal the fill may serve it again.
    delete from public.feed_items fi where fi.lesson_id = p_lesson_id and fi.status = 'pending';
  end if;
  return jsonb_build_object('state', 'created', 'report', private.report_json(v_report));
end
$$;

-- ---- review (admins) ------------------------------------------------------------------------------------

-- Lessons with open reports, most reported first: the lesson, who generated it, and every open report.
create function public.admin_lesson_reports(p_limit int default 50) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_limit int := least(greatest(coalesce(p_limit, 50), 1), 200);
begin
  perform private.require_admin();
  return jsonb_build_object('lessons', coalesce((
    select jsonb_agg(x.j order by x.open_reports desc, x.first_report, x.lesson_id)
      from (
        select l.id as lesson_id, o.open_reports, o.first_report,
               jsonb_build_object(
                 'lesson', private.lesson_json(l, t, s),
                 'heldAt', private.iso(l.held_at),
                 'privateToLearner', l.private_to is not null,
                 'generatedBy', case when l.source = 'generated' then jsonb_build_object(
                                  'userId', l.created_by,
                                  'email', (select p.email from public.profiles p where p.id = l.created_by),
                                  'model', l.model) end,
                 'openReports', o.open_reports,
                 'reports', (select jsonb_agg(private.report_json(r) || jsonb_build_object(
                                      'reporterId', r.reporter_id,
                                      'reporterEmail', (select p.email from public.profiles p where p.id = r.reporter_id))
                                    order by r.created_at, r.id)
                               from public.lesson_reports r where r.lesson_id = l.id and r.reviewed_at is null)) as j
          from (select r.lesson_id, count(*)::int as open_reports, min(r.created_at) as first_report
                  from public.lesson_reports r where r.reviewed_at is null group by r.lesson_id) o
          join public.lessons l on l.id = o.lesson_id
          join public.topics t on t.id = l.topic_id
          join public.subjects s on s.id = t.subject_id
         order by o.open_reports desc, o.first_report, l.id
         limit v_limit
      ) x), '[]'::jsonb));
end
$$;

-- Review a lesson. remove: it leaves the library and every feed, playlists keep a placeholder, its
-- reports close. dismiss: its reports close and a hold is lifted. Idempotent: a second review closes
-- nothing more (a removal keeps its first time).
create function public.admin_review_lesson(p_lesson_id uuid, p_action text) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
  v_action public.review_action;
  v_closed int;
  v_removed_at timestamptz;
begin
  perform private.require_admin();
  begin
    v_action := p_action;
  exception when check_violation then
    perform private.raise_app('invalid_request', format('Unknown action %L.', p_action));
  end;
  if v_action is null then
    perform private.raise_app('invalid_request', 'An action is required.');
  end if;
  perform 1 from public.lessons l where l.id = p_lesson_id for update;
  if not found then
    perform private.raise_app('not_found', 'Lesson not found.');
  end if;

  update public.lesson_reports r set reviewed_at = now(), reviewed_by = v_uid, review = v_action
   where r.lesson_id = p_lesson_id and r.reviewed_at is null;
  get diagnostics v_closed = row_count;

  if v_action = 'remove' then
    update public.lessons l set removed_at = coalesce(l.removed_at, now()), removed_by = coalesce(l.removed_by, v_uid), held_at = null
     where l.id = p_lesson_id;
    -- Out of every feed for good (closed, not deleted: see report_lesson).
    update public.feed_items fi set status = 'seen', seen_at = coalesce(fi.seen_at, now())
     where fi.lesson_id = p_lesson_id and fi.status = 'pending';
  else
    update public.lessons l set held_at = null where l.id = p_lesson_id;
  end if;
  select l.removed_at into v_removed_at from public.lessons l where l.id = p_lesson_id;
  return jsonb_build_object('lessonId', p_lesson_id, 'action', v_action, 'reportsClosed', v_closed,
                            'removedAt', private.iso(v_removed_at));
end
$$;

-- ---- regenerating one lesson of a playlist --------------------------------------------------------------

-- What regenerating one lesson of a learner's playlist needs: the lesson's topic and difficulty, its
-- position, and the titles to avoid (the playlist's and the topic's 50 newest). The lesson may be a
-- removed one (its placeholder is replaced). Not the learner's playlist, or not in it → not_found.
create function public.lesson_regeneration_context(p_user_id uuid, p_playlist_id uuid, p_lesson_id uuid) returns jsonb
language plpgsql stable
security definer
set search_path = ''
as $$
declare
  v_position int;
  l public.lessons;
begin
  if not exists (select 1 from public.playlists p where p.id = p_playlist_id and p.user_id = p_user_id) then
    perform private.raise_app('not_found', 'Playlist not found.');
  end if;
  select pl.position into v_position from public.playlist_lessons pl
   where pl.playlist_id = p_playlist_id and pl.lesson_id = p_lesson_id;
  if v_position is null then
    perform private.raise_app('not_found', 'Lesson is not in this playlist.');
  end if;
  select * into l from public.lessons x where x.id = p_lesson_id;
  return (
    select jsonb_build_object(
      'playlistId', p_playlist_id, 'lessonId', l.id, 'position', v_position, 'title', l.title,
      'subjectName', s.name, 'topicId', t.id, 'topicName', t.name, 'difficulty', l.difficulty,
      'avoidTitles', coalesce((
        select jsonb_agg(x.title) from (
          select l1.title from public.playlist_lessons pl join public.lessons l1 on l1.id = pl.lesson_id
           where pl.playlist_id = p_playlist_id and (l1.private_to is null or l1.private_to = p_user_id)
          union
          select y.title from (select l2.title from public.lessons l2
                                where l2.topic_id = l.topic_id and (l2.private_to is null or l2.private_to = p_user_id)
                                order by l2.created_at desc limit 50) y
        ) x), '[]'::jsonb))
    from public.topics t join public.subjects s on s.id = t.subject_id where t.id = l.topic_id);
end
$$;

-- Marks a running request (begun for the playlist) as the replacement of one of its lessons: the lesson
-- it saves takes that lesson's place. One replacement of a lesson at a time → `conflict`.
create function public.mark_generation_replacement(p_request_id uuid, p_lesson_id uuid) returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  r public.generation_requests;
begin
  select * into r from public.generation_requests g where g.id = p_request_id and g.status = 'running' for update;
  if r.id is null or r.playlist_id is null then
    perform private.raise_app('not_found', 'Generation request not found.');
  end if;
  if not exists (select 1 from public.playlist_lessons pl where pl.playlist_id = r.playlist_id and pl.lesson_id = p_lesson_id) then
    perform private.raise_app('not_found', 'Lesson is not in this playlist.');
  end if;
  if exists (select 1 from public.generation_requests g
              where g.playlist_id = r.playlist_id and g.replaces_lesson_id = p_lesson_id
                and g.status = 'running' and g.id <> r.id) then
    perform private.raise_app('conflict', 'This lesson is already being regenerated.');
  end if;
  update public.generation_requests g set replaces_lesson_id = p_lesson_id where g.id = p_request_id;
  return jsonb_build_object('requestId', p_request_id, 'replacesLessonId', p_lesson_id);
end
$$;

-- The lesson a replacement request saves takes the replaced lesson's row in the playlist (same
-- position), in the same transaction as the save; save_generated_lessons then finds it already there and
-- appends nothing. The replaced lesson stays in the library. If the learner took the old lesson out of
-- the playlist meanwhile, nothing is replaced and the new lesson is appended as usual.
create function private.lessons_replace_in_playlist() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_playlist uuid;
  v_replaces uuid;
begin
  select g.playlist_id, g.replaces_lesson_id into v_playlist, v_replaces
    from public.generation_requests g where g.id = new.generation_request_id;
  if v_replaces is not null and v_playlist is not null then
    update public.playlist_lessons pl set lesson_id = new.id, added_at = now()
     where pl.playlist_id = v_playlist and pl.lesson_id = v_replaces;
  end if;
  return null;
end
$$;

create trigger lessons_replace_in_playlist
  after insert on public.lessons
  for each row when (new.generation_request_id is not null)
  execute function private.lessons_replace_in_playlist();

-- ---- grants --------------------------------------------------------------------------------------------------

revoke all on public.lesson_reports from public, anon, authenticated;
grant select on public.lesson_reports to authenticated;
grant all on public.lesson_reports to service_role;

revoke execute on function
  private.report_hold_threshold(), private.report_json(public.lesson_reports),
  public.report_lesson(uuid, text, text), public.admin_lesson_reports(int), public.admin_review_lesson(uuid, text),
  public.lesson_regeneration_context(uuid, uuid, uuid), public.mark_generation_replacement(uuid, uuid),
  private.lessons_replace_in_playlist()
from public, anon, authenticated, service_role;

grant execute on function
  public.report_lesson(uuid, text, text), public.admin_lesson_reports(int), public.admin_review_lesson(uuid, text)
to authenticated;
grant execute on function
  public.lesson_regeneration_context(uuid, uuid, uuid), public.mark_generation_replacement(uuid, uuid)
to service_role;
