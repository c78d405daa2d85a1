// Functions a signed-in learner calls through the API (granted to `authenticated`; RLS and auth.uid() apply).
import { z } from "zod";
import { catalog, feed, id, lessonRecord, playlistDetail, playlistList, playlistSummary, profile, quota, topicFollow } from "@/lib/contracts/entities";
import { difficulty, feedItemStatuses } from "@/lib/contracts/enums";
import { fn } from "./contract";

const none = z.object({});

export const learnerFunctions = {
  me: fn(none, profile.nullable()),
  list_catalog: fn(none, catalog),
  set_topic_follow: fn(z.object({ p_topic_id: id, p_follow: z.boolean(), p_difficulty: difficulty.optional() }), topicFollow),
  list_playlists: fn(none, playlistList),
  create_playlist: fn(z.object({ p_title: z.string(), p_description: z.string().nullable().optional() }), playlistSummary),
  get_playlist: fn(z.object({ p_playlist_id: id }), playlistDetail),
  update_playlist: fn(
    z.object({ p_playlist_id: id, p_title: z.string().nullable().optional(), p_description: z.string().nullable().optional() }),
    playlistSummary,
  ),
  delete_playlist: fn(z.object({ p_playlist_id: id }), z.object({ deleted: z.literal(true) })),
  add_playlist_lesson: fn(z.object({ p_playlist_id: id, p_lesson_id: id }), playlistSummary),
  remove_playlist_lesson: fn(z.object({ p_playlist_id: id, p_lesson_id: id }), playlistSummary),
  reorder_playlist: fn(z.object({ p_playlist_id: id, p_lesson_ids: z.array(id) }), playlistSummary),
  get_lesson: fn(z.object({ p_lesson_id: id }), lessonRecord),
  get_feed: fn(none, feed),
  mark_feed_seen: fn(z.object({ p_lesson_id: id }), z.object({ lessonId: id, status: z.enum(feedItemStatuses) })),
  get_my_quota: fn(none, quota),
};
