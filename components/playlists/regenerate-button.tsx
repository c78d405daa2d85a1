"use client";

import { useId, useState } from "react";
import { ModalDialog } from "@/components/reports/modal-dialog";
import { buttonClass } from "@/components/ui/button-styles";
import { REGENERATE_INSTRUCTIONS_MAX } from "@/lib/contracts/reports";

// "Regenerate" on a playlist row: an optional instruction, then a new lesson in this one's place.
export function RegenerateButton({
  lessonTitle,
  className,
  disabled,
  onRegenerate,
  describedBy,
}: {
  lessonTitle: string;
  className: string;
  disabled: boolean;
  onRegenerate: (instructions: string) => void;
  describedBy?: string;
}) {
  const [open, setOpen] = useState(false);
  const [instructions, setInstructions] = useState("");
  const inputId = useId();
  return (
    <>
      <button type="button" className={className} aria-label="Regenerate" aria-describedby={describedBy} title="Regenerate this lesson" disabled={disabled} onClick={() => setOpen(true)} data-testid="regenerate-lesson">
        <svg aria-hidden viewBox="0 0 20 20" className="h-4 w-4" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
          <path d="M16 10a6 6 0 1 1-1.8-4.3M16 3.5v3.5h-3.5" />
        </svg>
      </button>
      <ModalDialog open={open} onClose={() => setOpen(false)} title="Regenerate this lesson" description={`A new lesson replaces “${lessonTitle}” at the same place. It counts as one lesson of today’s quota.`} testId="regenerate-dialog">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setOpen(false);
            onRegenerate(instructions.trim());
            setInstructions("");
          }}
        >
          <label htmlFor={inputId} className="block text-sm font-medium text-slate-800">
            Instruction <span className="font-normal text-slate-600">(optional)</span>
          </label>
          <textarea
            id={inputId}
            value={instructions}
            onChange={(e) => setInstructions(e.target.value)}
            maxLength={REGENERATE_INSTRUCTIONS_MAX}
            rows={3}
            className="mt-1 block w-full rounded-lg border border-slate-300 px-3 py-2 text-sm"
            placeholder="e.g. simpler words, a real-world example"
          />
          <div className="mt-4 flex justify-end gap-2">
            <button type="button" className={buttonClass("secondary")} onClick={() => setOpen(false)}>
              Cancel
            </button>
            <button type="submit" className={buttonClass("primary")}>
              Regenerate
            </button>
          </div>
        </form>
      </ModalDialog>
    </>
  );
}
