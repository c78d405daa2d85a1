import type { Difficulty } from "@/lib/contracts";

const tones: Record<Difficulty, string> = {
  intro: "bg-sky-50 text-sky-800 ring-sky-200",
  easy: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  medium: "bg-amber-50 text-amber-900 ring-amber-200",
  hard: "bg-rose-50 text-rose-800 ring-rose-200",
};

export function DifficultyBadge({ difficulty }: { difficulty: Difficulty }) {
  return (
    <span className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium capitalize ring-1 ring-inset ${tones[difficulty] ?? tones.easy}`}>
      {difficulty}
    </span>
  );
}
