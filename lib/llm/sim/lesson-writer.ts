// Lesson-like text for the simulator: a title, an ~100-word explanation with a definition and an
// example, three multiple-choice questions with plausible distractors, and key terms. Templates are
// picked by a seeded random stream and by the lesson's number within its topic, so titles differ
// across slots and across successive calls while staying deterministic for a seed.
import { pick, shuffled } from "./random";

export interface DraftQuestion {
  question: string;
  choices: string[];
  correctIndex: number;
  explanation: string;
}

export interface LessonDraft {
  slot: number;
  title: string;
  content: string;
  summary: string;
  difficulty: string;
  questions: DraftQuestion[];
  keyTerms: { term: string; definition: string }[];
}

export interface LessonBrief {
  subject: string;
  topic: string;
  difficulty: string;
}

interface Angle {
  titles: [string, string, string];
  focus: string;
  detail: string;
  term: string;
  termDefinition: string;
  practice: string; // correct answer to "what is the best way to ..." for this angle
}

// {T} = topic, {S} = subject. Each angle is one way a micro-lesson can approach a topic.
const ANGLES: Angle[] = [
  { titles: ["{T}: The Core Idea", "What {T} Really Means", "{T} in One Clear Picture"], focus: "This lesson focuses on the central idea and the words you need to describe it precisely.", detail: "Once the core idea is clear, most later details read as refinements of it rather than new facts.", term: "core principle", termDefinition: "the single rule that the rest of the topic builds on", practice: "State the definition in your own words and test it on a new case." },
  { titles: ["{T}: How the Process Works", "The Mechanism Behind {T}", "{T}: Inside the Process"], focus: "Here the goal is to follow the process step by step and see what causes what.", detail: "Each stage depends on the one before it, so a change early on ripples through to the result.", term: "mechanism", termDefinition: "the chain of causes that turns the starting conditions into the outcome", practice: "Trace each stage in order and say what the previous stage handed on." },
  { titles: ["{T} Through a Worked Example", "A Worked Example of {T}", "{T}: Learning From an Example"], focus: "The emphasis is on one concrete case you can replay in your head.", detail: "Working slowly through one case shows which details matter and which ones are only decoration.", term: "worked example", termDefinition: "a fully solved case that shows every step and the reason for it", practice: "Redo the example yourself and explain why each step follows." },
  { titles: ["Common Mistakes About {T}", "{T}: Myths Versus Facts", "{T}: Mistakes to Avoid"], focus: "This lesson looks at the mistakes people make most often and how to avoid them.", detail: "A frequent error is to treat a simplified model as the whole story and forget its assumptions.", term: "misconception", termDefinition: "a confident but wrong belief that feels right until it is tested", practice: "Compare the tempting wrong answer with the evidence and see where it fails." },
  { titles: ["Where {T} Came From", "The Origins of {T}", "{T}: A Short History"], focus: "Knowing where the idea came from explains why it is framed the way it is today.", detail: "Early thinkers had fewer tools, so the first versions of the idea were rougher and later refined.", term: "historical context", termDefinition: "the problems and tools of the time that shaped how an idea was first stated", practice: "Ask which problem the idea was first invented to solve." },
  { titles: ["{T} in the Real World", "Everyday Uses of {T}", "Putting {T} to Work"], focus: "The lesson connects the idea to situations you meet outside the classroom.", detail: "Real situations are messier than textbook ones, yet the same pattern is usually visible underneath.", term: "application", termDefinition: "a practical situation where the idea is used to explain or decide something", practice: "Find one everyday situation and point to the pattern inside it." },
  { titles: ["{T} Compared With Related Ideas", "{T} Versus Its Neighbours", "Telling {T} Apart From Lookalikes"], focus: "Placing the idea next to its neighbours makes its edges sharper.", detail: "Two ideas can share vocabulary yet answer different questions, which is where confusion starts.", term: "contrast", termDefinition: "a side-by-side comparison that shows what makes two similar ideas different", practice: "List what the two ideas share and the one question only this idea answers." },
  { titles: ["{T} Step by Step", "A Step-by-Step Guide to {T}", "Breaking {T} Into Steps"], focus: "The lesson breaks the topic into a short sequence you can follow.", detail: "Small steps make it easier to notice exactly where an answer went wrong.", term: "procedure", termDefinition: "an ordered list of steps that reliably reaches the result", practice: "Write the steps in order and check the result after each one." },
  { titles: ["Key Vocabulary for {T}", "The Language of {T}", "{T}: Terms Worth Knowing"], focus: "Precise words make precise thinking possible, so this lesson builds the vocabulary.", detail: "Many errors come from using an everyday meaning of a word where a technical meaning is intended.", term: "terminology", termDefinition: "the agreed technical words a field uses to avoid ambiguity", practice: "Match each term to its definition and use it in a sentence." },
  { titles: ["Why {T} Matters in {S}", "The Importance of {T}", "{T} and Why It Counts"], focus: "This lesson explains why the idea earns its place in the subject.", detail: "Ideas that explain many observations with one rule tend to become the backbone of a field.", term: "significance", termDefinition: "how much a single idea explains or changes across a subject", practice: "Name two other ideas that would be hard to understand without this one." },
  { titles: ["Edge Cases in {T}", "When {T} Gets Tricky", "{T} at Its Limits"], focus: "The lesson probes the situations where the simple rule needs care.", detail: "Limits are not failures: knowing them tells you when to reach for a more detailed model.", term: "boundary case", termDefinition: "a situation at the edge of where a rule still applies", practice: "Push one condition to an extreme and check whether the rule still holds." },
  { titles: ["Measuring and Testing {T}", "How We Check {T}", "Evidence for {T}"], focus: "Here the question is how we know the idea is right.", detail: "A good test changes one thing at a time and compares the result with a prediction made in advance.", term: "evidence", termDefinition: "observations that would look different if the idea were wrong", practice: "Make a prediction first, then compare it with what you observe." },
  { titles: ["A Mental Model for {T}", "Picturing {T} Clearly", "{T}: A Useful Analogy"], focus: "The lesson offers a picture you can carry around and reason with.", detail: "An analogy is useful as long as you remember where it stops matching the real thing.", term: "analogy", termDefinition: "a familiar situation that shares the structure of an unfamiliar one", practice: "Explain the idea with the analogy, then name where the analogy breaks." },
  { titles: ["Trade-offs Within {T}", "{T}: Costs and Benefits", "Balancing Choices in {T}"], focus: "This lesson looks at what is gained and what is given up.", detail: "Improving one property often worsens another, so good answers name the balance they chose.", term: "trade-off", termDefinition: "a choice where gaining one benefit means accepting a cost elsewhere", practice: "Name what improves, what gets worse, and why the balance is acceptable." },
  { titles: ["Practising {T} Quickly", "{T}: A Quick Practice Round", "Sharpening Your {T} Skills"], focus: "The lesson is a short practice round that turns recognition into recall.", detail: "Retrieving an idea from memory strengthens it far more than rereading the same page.", term: "retrieval practice", termDefinition: "recalling an idea from memory to make it easier to recall next time", practice: "Close the notes, answer from memory, then check and correct." },
  { titles: ["How {T} Connects Across {S}", "{T} and the Bigger Picture", "Linking {T} to Other Ideas"], focus: "This lesson places the idea on the map of the wider subject.", detail: "Connections make knowledge sturdier, because each idea supports the recall of its neighbours.", term: "connection", termDefinition: "a link showing how one idea depends on or explains another", practice: "Draw a quick map linking this idea to two others you know." },
  { titles: ["Solving Problems With {T}", "{T} as a Problem-Solving Tool", "Using {T} to Crack Problems"], focus: "The lesson treats the idea as a tool for answering questions.", detail: "Most problems become easier once you decide which quantity or feature the idea lets you predict.", term: "strategy", termDefinition: "a general plan for attacking a whole family of problems", practice: "Identify what is known, what is asked, and which rule links them." },
  { titles: ["Spotting Patterns in {T}", "Recognising {T} in Practice", "{T}: Signs to Look For"], focus: "The lesson trains your eye to recognise the idea when it is not labelled.", detail: "The same pattern can hide behind different numbers, names, or settings.", term: "pattern", termDefinition: "a structure that repeats across cases even when the details change", practice: "Strip away the surface details and look for the repeating structure." },
  { titles: ["{T}: A Compact Review", "Reviewing {T} in Minutes", "{T} Recap and Checkpoints"], focus: "This is a compact review that pulls the essentials into one place.", detail: "A short review spaced a few days after first learning is one of the most reliable memory aids.", term: "spaced review", termDefinition: "revisiting material after a gap so that it is remembered for longer", practice: "Summarise the idea in two sentences and check them against the lesson." },
  { titles: ["Going Deeper Into {T}", "{T} Beyond the Basics", "Advanced Angles on {T}"], focus: "The lesson adds nuance for learners who already know the basics.", detail: "Nuance usually means stating the conditions under which each simple claim is true.", term: "nuance", termDefinition: "a refinement that says when and how far a simple claim holds", practice: "Add the conditions under which each simple claim is true." },
];

const DEFINITIONS = [
  "In {S}, {T} is the idea that explains how a set of parts works together to produce a predictable result.",
  "{T} is a central concept in {S}: it describes a relationship between causes and effects that you can observe and test.",
  "Put simply, {T} is a way of organising what we know in {S} so that new cases can be explained with the same rule.",
  "{T}, as used in {S}, refers to a repeatable pattern with clear inputs, a process, and an outcome you can check.",
];

const SHORT_DEFINITIONS = [
  "It explains how parts of a system work together to produce a predictable result.",
  "It describes a testable relationship between causes and their effects.",
  "It organises knowledge so that new cases can be explained with the same rule.",
  "It names a repeatable pattern with inputs, a process, and a checkable outcome.",
];

const EXAMPLES = [
  "For example, a student of {S} might notice {T} when comparing two similar cases and asking why their results differ.",
  "For example, imagine a small experiment: change one input, keep everything else fixed, and watch how {T} shapes the outcome.",
  "For example, a textbook problem on {T} gives the starting conditions and asks you to trace each step to the result.",
  "For example, a teacher explaining {T} might sketch a diagram that separates the inputs, the process, and the result.",
];

const LEVEL: Record<string, string> = {
  intro: "At an introductory level, the key is to recognise the pattern and name its parts correctly.",
  easy: "For beginners, it helps to connect each part of the definition to something familiar.",
  medium: "At an intermediate level, you should be able to predict what changes when one input changes.",
  hard: "At an advanced level, articulate the underlying assumptions, identify the boundary conditions where the simplified generalisation deteriorates, and justify each qualification rigorously.",
};

const CLOSINGS = [
  "Remember the definition, the example, and one question you could ask to test your understanding.",
  "If you can explain {T} to a friend in two sentences, you have understood the essentials.",
  "Keep this picture in mind, because later lessons in {S} build directly on it.",
];

const FILLERS = [
  "Notice how the definition and the example fit together.",
  "Try to restate the idea before moving on.",
  "Each part of the definition shows up in the example.",
];


const PRACTICE_DISTRACTORS = [
  "Change every input at once and look only at the final answer.",
  "Memorise the definition word for word and skip the example.",
  "Decide the outcome in advance and ignore the evidence.",
  "Reread the lesson several times without testing yourself.",
  "Focus on the surface details that differ between cases.",
];

// Claims that contradict every angle's detail, about as long as the details so length gives nothing away.
const DETAIL_DISTRACTORS = [
  "Nothing here depends on anything else, so each detail has to be memorised as a separate fact.",
  "The idea only works in a textbook; real situations never show any trace of the same pattern.",
  "Experts have shown the whole idea to be wrong, so it is now taught only as a historical curiosity.",
  "Every case follows its own private rule, so no single example can tell you anything general.",
  "Only the final answer matters; the steps and the reasons behind it can safely be ignored.",
];

// Question stems name the angle's term ({A}), so lessons of one topic never ask the same question
// (lib/lessons/checks.ts compares them across a batch); the template turns with the lesson number.
const Q1_TEMPLATES = ["According to the lesson, what is true of {A}?", "What does the lesson claim about {A}?", "Which claim about {A} does the lesson make?"];
const Q2_TEMPLATES = ["Following the advice on {A}, what should you do?", "Which approach does the lesson recommend for {A}?", "What habit helps with {A}?"];
const Q3_TEMPLATES = ["In this lesson, what does '{A}' mean?", "Which option defines '{A}' as used here?", "What is meant by '{A}'?"];

const MAX_TITLE_WORDS = 7;
const MIN_CONTENT_WORDS = 80;
const MAX_CONTENT_WORDS = 105;

// Mid-sentence, a topic like "The Roman Republic" reads "the Roman Republic"; titles keep the capital.
function midSentence(name: string): string {
  return /^The\s/.test(name) ? `t${name.slice(1)}` : name;
}

function fill(template: string, brief: LessonBrief, term = ""): string {
  const at = (name: string) => (match: string, offset: number, whole: string) =>
    offset === 0 || /[.!?:]\s*$/.test(whole.slice(0, offset)) ? name : midSentence(name);
  return template.replace(/\{T\}/g, at(brief.topic)).replace(/\{S\}/g, at(brief.subject)).replaceAll("{A}", term);
}

function fillTitle(template: string, brief: LessonBrief): string {
  return template.replaceAll("{T}", brief.topic).replaceAll("{S}", brief.subject);
}

const wordCount = (s: string) => s.split(/\s+/).filter(Boolean).length;

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * Title for the lesson numbered `lessonNo` within its topic: the angle cycles fastest, then the
 * wording variant, then a "Part N" suffix, so the first 60 lessons of a topic have distinct titles.
 */
function titleFor(brief: LessonBrief, lessonNo: number): string {
  const angle = ANGLES[lessonNo % ANGLES.length];
  const round = Math.floor(lessonNo / ANGLES.length);
  const variant = round % angle.titles.length;
  const suffix = round >= angle.titles.length ? ` (Part ${Math.floor(round / angle.titles.length) + 1})` : "";
  const topicWords = brief.topic.split(/\s+/).filter(Boolean);
  for (let i = 0; i < angle.titles.length; i++) {
    const t = fillTitle(angle.titles[(variant + i) % angle.titles.length], brief) + suffix;
    if (wordCount(t) <= MAX_TITLE_WORDS) return t;
  }
  // A very long topic: shorten it so the title stays within the word limit.
  const short = topicWords.slice(0, Math.max(1, MAX_TITLE_WORDS - 3 - wordCount(suffix))).join(" ");
  return fillTitle(angle.titles[variant], { ...brief, topic: short }).split(/\s+/).slice(0, MAX_TITLE_WORDS - wordCount(suffix)).join(" ") + suffix;
}

function contentFor(brief: LessonBrief, angle: Angle, rng: () => number, defIndex: number): string {
  const level = LEVEL[brief.difficulty] ?? LEVEL.easy;
  const parts = [
    fill(DEFINITIONS[defIndex], brief),
    fill(angle.focus, brief),
    fill(pick(rng, EXAMPLES), brief),
    fill(angle.detail, brief),
    level,
    fill(pick(rng, CLOSINGS), brief),
  ];
  // Drop optional sentences (closing, level, focus) until short enough; pad if too short.
  // The level sentence carries a hard lesson's register (lib/lessons/checks.ts reads it), so it stays.
  const optional = brief.difficulty === "hard" ? [5, 1] : [5, 4, 1];
  let chosen = parts.slice();
  for (const idx of optional) {
    if (wordCount(chosen.join(" ")) <= MAX_CONTENT_WORDS) break;
    chosen = chosen.filter((p) => p !== parts[idx]);
  }
  let f = 0;
  while (wordCount(chosen.join(" ")) < MIN_CONTENT_WORDS && f < FILLERS.length) chosen.push(FILLERS[f++]);
  let text = capitalise(chosen.join(" "));
  if (wordCount(text) > MAX_CONTENT_WORDS) text = text.split(/\s+/).slice(0, MAX_CONTENT_WORDS).join(" ").replace(/[,;:]?$/, ".");
  return text;
}

function question(rng: () => number, stem: string, correct: string, distractors: string[], explanation: string): DraftQuestion {
  const wrong = shuffled(rng, distractors.filter((d) => d !== correct)).slice(0, 3);
  const choices = shuffled(rng, [correct, ...wrong]);
  return { question: stem, choices, correctIndex: choices.indexOf(correct), explanation: explanation.slice(0, 280) };
}

/** One lesson draft. `lessonNo` is the lesson's running number within its topic; `rng` is seeded per call. */
export function writeLesson(brief: LessonBrief, lessonNo: number, slot: number, rng: () => number): LessonDraft {
  const angle = ANGLES[lessonNo % ANGLES.length];
  const defIndex = Math.floor(rng() * DEFINITIONS.length);
  const title = titleFor(brief, lessonNo);
  const content = contentFor(brief, angle, rng, defIndex);
  const topicDefinition = SHORT_DEFINITIONS[defIndex];

  const otherAngles = ANGLES.filter((a) => a !== angle);
  const variant = Math.floor(lessonNo / ANGLES.length) % Q1_TEMPLATES.length;
  const q1 = question(
    rng,
    fill(Q1_TEMPLATES[variant], brief, angle.term),
    fill(angle.detail, brief),
    DETAIL_DISTRACTORS,
    fill(`The lesson says: ${angle.detail} The other options deny the links, the evidence or the pattern it describes.`, brief),
  );
  const q2 = question(
    rng,
    fill(Q2_TEMPLATES[variant], brief, angle.term),
    angle.practice,
    PRACTICE_DISTRACTORS,
    `This lesson's advice is: ${angle.practice} The other choices skip the comparison or the self-testing that makes the idea stick.`,
  );
  const q3 = question(
    rng,
    fill(Q3_TEMPLATES[variant], brief, angle.term),
    capitalise(angle.termDefinition) + ".",
    shuffled(rng, otherAngles).slice(0, 4).map((a) => capitalise(a.termDefinition) + "."),
    `'${capitalise(angle.term)}' means ${angle.termDefinition}. The other options define different terms from this topic.`,
  );

  return {
    slot,
    title,
    content,
    summary: fill(DEFINITIONS[defIndex], brief),
    difficulty: brief.difficulty,
    questions: [q1, q2, q3],
    keyTerms: [
      { term: brief.topic, definition: topicDefinition.replace(/^It /, "The idea that ").replace(/\.$/, "") },
      { term: capitalise(angle.term), definition: capitalise(angle.termDefinition) },
      { term: capitalise(otherAngles[(lessonNo + 3) % otherAngles.length].term), definition: capitalise(otherAngles[(lessonNo + 3) % otherAngles.length].termDefinition) },
    ],
  };
}

/** Plain-text answer for chat calls that ask for no structure. */
export function writeProse(brief: LessonBrief, lessonNo: number, rng: () => number): string {
  const d = writeLesson(brief, lessonNo, 0, rng);
  return `${d.title}\n\n${d.content}`;
}

/** Rules of lib/lessons/checks.ts a simulated lesson can be made to break (the schema still passes). */
export const RULE_BREAKS = ["choice_repeat", "question_repeat", "answer_longest", "reading_level"] as const;
export type RuleBreak = (typeof RULE_BREAKS)[number];

type RawQuestion = { question?: unknown; choices?: unknown; correctIndex?: unknown };

/**
 * Bends a lesson object (as serialised: `questions`, `content`) the way models slip: a choice that
 * repeats another in other words, a question asked twice, the right answer always the longest, or
 * a text pitched far above its level. In place; returns false when the object has no such fields.
 */
export function breakLessonRule(lesson: Record<string, unknown>, kind: RuleBreak): boolean {
  const qs = Array.isArray(lesson.questions) ? (lesson.questions as RawQuestion[]) : null;
  switch (kind) {
    case "choice_repeat": {
      const q = qs?.[0];
      if (!q || !Array.isArray(q.choices) || q.choices.length < 2 || typeof q.correctIndex !== "number") return false;
      const wrong = q.correctIndex === 0 ? 1 : 0;
      const other = q.choices.findIndex((_, i) => i !== wrong && i !== q.correctIndex);
      q.choices[other] = `${String(q.choices[wrong]).replace(/\.$/, "")}!`; // same words, not the same string
      return true;
    }
    case "question_repeat": {
      if (!qs || qs.length < 2 || typeof qs[0].question !== "string") return false;
      qs[1].question = `In short, ${qs[0].question.charAt(0).toLowerCase()}${qs[0].question.slice(1)}`;
      return true;
    }
    case "answer_longest": {
      if (!qs) return false;
      for (const q of qs) {
        if (!Array.isArray(q.choices) || typeof q.correctIndex !== "number") return false;
        q.choices[q.correctIndex] = `${String(q.choices[q.correctIndex]).replace(/\.$/, "")}, exactly as the lesson explains it in full detail.`;
      }
      return true;
    }
    case "reading_level": {
      if (typeof lesson.content !== "string") return false;
      // One run-on sentence: the grade level soars while the word count stays inside the schema's band.
      lesson.content = lesson.content.replace(/[.!?](?=\s)/g, ",");
      return true;
    }
  }
}
