// Shapes of the admin usage answers (admin_usage, admin_usage_events, admin_top_users), shared by the
// server code that fetches them and the dashboard that draws them: derived from lib/contracts.
export type { AdminTopUsers, AdminUsage, AdminUsageEvent, UsageGroup, UsageTotals } from "@/lib/contracts/entities";
export type { UsageGroupBy } from "@/lib/contracts/enums";
