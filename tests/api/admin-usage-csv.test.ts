import { describe, expect, it } from "vitest";
import { toCsv, usageCsv } from "@/lib/usage/admin-usage-csv";
import { usageRange } from "@/lib/usage/admin-usage";

describe("usage CSV", () => {
  it("quotes, escapes and neutralises formula-looking cells", () => {
    const csv = toCsv(["key", "n"], [["a,b", 1], ['say "hi"', 2], ["=cmd()", -3], [null, 0]]);
    expect(csv).toBe('key,n\r\n"a,b",1\r\n"say ""hi""",2\r\n\'=cmd(),-3\r\n,0\r\n');
  });

  it("has a header row named after the grouping and one row per group", () => {
    const totals = {
      calls: 2, lessonsAsked: 5, lessonsValid: 5, promptTokens: 100, cachedTokens: 0, completionTokens: 900,
      costUsd: 0.01, inputUsd: 0.001, cachedUsd: 0, outputUsd: 0.009, counterfactualCostUsd: 0.02, savedUsd: 0.01, savedPromptTokens: 300, fallbackShare: 0, failedCalls: 0,
    };
    const csv = usageCsv({
      from: "2026-01-01", to: "2026-01-02", timezone: "UTC", groupBy: "model", totals,
      groups: [{ key: "sim-standard", ...totals }], failuresByCode: {}, latency: [],
    });
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toBe("model,label,calls,lessonsAsked,lessonsValid,promptTokens,cachedTokens,completionTokens,costUsd,counterfactualCostUsd,savedUsd,savedPromptTokens,fallbackShare,failedCalls");
    expect(lines[1]).toBe("sim-standard,sim-standard,2,5,5,100,0,900,0.01,0.02,0.01,300,0,0");
  });

  it("defaults to the last 30 UTC days ending today", () => {
    const now = Date.parse("2026-03-10T23:30:00-05:00"); // 04:30 UTC on March 11
    expect(usageRange({}, now)).toEqual({ from: "2026-02-10", to: "2026-03-11" });
    expect(usageRange({ to: "2026-01-31" }, now)).toEqual({ from: "2026-01-02", to: "2026-01-31" });
  });
});
