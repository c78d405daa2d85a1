// Provider presets. lib/llm owns this file; the id list is shared with lib/env.ts.
import type { providerIds } from "@/lib/env";

export type ProviderId = (typeof providerIds)[number];
