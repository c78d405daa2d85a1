// Checks beyond the schema (lib/lessons/checks.ts): each rule against real lessons that break it, and
// the same lessons fixed; every lesson here passes the strict schema, so only these rules catch them.
import { describe, expect, it } from "vitest";
import {
  BatchQuality,
  countRuleFailures,
  lessonRuleFailures,
  PositionBalancer,
  positionSpread,
  POSITION_SPREAD_MAX,
  readingBand,
  readingGrade,
  type CheckableLesson,
  type RuleCode,
} from "@/lib/lessons/checks";
import { ignoredWords } from "@/lib/lessons/dedup";
import { checkLesson } from "@/lib/lessons/validate";
import type { LessonQuestion } from "@/lib/lessons/types";
import { breakLessonRule, RULE_BREAKS, writeLesson } from "@/lib/llm/sim/lesson-writer";
import { createRandom } from "@/lib/llm/sim/random";

const CONTENT_EASY =
  "Plants make their own food through photosynthesis, and almost every meal you eat depends on it. " +
  "Inside each leaf, a green pigment called chlorophyll catches energy from sunlight. The plant uses " +
  "that energy to join water from the soil with carbon dioxide from the air. The result is sugar, " +
  "which the plant burns for energy or stores for later, and oxygen, which leaves through tiny pores. " +
  "For example, a tomato plant on a sunny windowsill grows faster than one kept in a dark corner, " +
  "because it can make more sugar each day.";

// Dense, long-sentenced prose: fine for "hard", far too hard for "intro".
const CONTENT_DENSE =
  "Photosynthetic carbon fixation, catalysed predominantly by ribulose-1,5-bisphosphate carboxylase/oxygenase, " +
  "constitutes the thermodynamically demanding, ATP-dependent and NADPH-dependent incorporation of atmospheric " +
  "carbon dioxide into three-carbon phosphorylated intermediates, whose subsequent regeneration within the " +
  "Calvin–Benson–Bassham cycle necessitates stoichiometrically coordinated photophosphorylation, while " +
  "competing oxygenation reactions, collectively designated photorespiration, dissipate considerable " +
  "metabolic energy and consequently impose substantial evolutionary selective pressure favouring " +
  "carbon-concentrating mechanisms, exemplified by C4 photosynthesis and crassulacean acid metabolism in " +
  "physiologically specialised angiosperms inhabiting environments characterised by elevated temperatures.";

// Primer sentences: fine for "intro", far too simple for "hard".
const CONTENT_PRIMER =
  "Plants need light. The sun gives light. A leaf is green. It has a dye. The dye takes in light. " +
  "The plant takes in air. It takes in water too. It makes food. The food is sugar. It lets out a gas. " +
  "We need that gas. We breathe it in. Plants grow in the sun. They do not grow well in the dark. " +
  "Put a plant by a window. It will grow. Put one in a box. It will not grow well. So light is key. " +
  "That is how a plant gets its food. It is a big job for a small leaf.";

function q(question: string, choices: [string, string, string, string], correctIndex: 0 | 1 | 2 | 3 = 0): LessonQuestion {
  return { question, choices, correctIndex, explanation: "The lesson explains this directly." };
}

const goodQuestions = (): [LessonQuestion, LessonQuestion, LessonQuestion] => [
  q("What does chlorophyll catch inside a leaf?", ["Energy from sunlight", "Water from the soil", "Oxygen from the air", "Sugar from the roots"]),
  q("Which two ingredients does the plant join?", ["Water and carbon dioxide", "Oxygen and sugar", "Soil and nitrogen", "Light and chlorophyll"]),
  q("Why does the windowsill tomato grow faster?", ["It makes more sugar", "It needs less water", "It has fewer leaves", "It avoids the heat"]),
];

function lesson(over: Partial<CheckableLesson> = {}): CheckableLesson {
  return { title: "How Leaves Turn Light Into Food", content: CONTENT_EASY, difficulty: "easy", questions: goodQuestions(), ...over };
}

function withQuestion(n: 0 | 1 | 2, replacement: LessonQuestion): CheckableLesson {
  const qs = goodQuestions();
  qs[n] = replacement;
  return lesson({ questions: qs });
}

const ignore = ignoredWords(["Photosynthesis", "Biology"]);

describe("per-lesson rules", () => {
  const cases: { name: string; lesson: CheckableLesson; codes: RuleCode[] }[] = [
    { name: "a sound lesson passes", lesson: lesson(), codes: [] },
    {
      name: "two choices say the same thing in other punctuation and case",
      lesson: withQuestion(0, q("What does chlorophyll catch inside a leaf?", ["Energy from sunlight", "Water from the soil", "energy from sunlight!", "Sugar from the roots"])),
      codes: ["choice_repeat"],
    },
    {
      name: "two choices with the same content words in another order",
      lesson: withQuestion(1, q("Which two ingredients does the plant join?", ["Water and carbon dioxide", "Carbon dioxide and water", "Soil and nitrogen", "Light and chlorophyll"])),
      codes: ["choice_repeat"],
    },
    {
      name: "a choice that repeats the question",
      lesson: withQuestion(2, q("Why does the windowsill tomato grow faster?", ["It makes more sugar", "The windowsill tomato grows faster", "It has fewer leaves", "It avoids the heat"])),
      codes: ["choice_repeat"],
    },
    {
      name: "the same question asked twice in other words",
      lesson: lesson({
        questions: [
          q("What is the main job of chlorophyll?", ["Catching sunlight", "Storing water", "Making soil", "Releasing heat"]),
          q("What is chlorophyll's main job?", ["Catching light energy", "Holding minerals", "Building roots", "Cooling leaves"], 1),
          goodQuestions()[2],
        ],
      }),
      codes: ["question_repeat"],
    },
    {
      name: "the correct choice clearly the longest in every question",
      lesson: lesson({
        questions: [
          q("What does chlorophyll catch inside a leaf?", ["Energy from sunlight that powers the making of sugar", "Water", "Oxygen", "Roots"]),
          q("Which two ingredients does the plant join?", ["Water from the soil and carbon dioxide from the air", "Oxygen", "Nitrogen", "Light"]),
          q("Why does the windowsill tomato grow faster?", ["Because more light lets it make more sugar each day", "Less water", "Fewer leaves", "Heat"]),
        ],
      }),
      codes: ["answer_longest"],
    },
    { name: "an intro lesson written in dense jargon", lesson: lesson({ difficulty: "intro", content: CONTENT_DENSE }), codes: ["reading_level"] },
    { name: "a hard lesson written in primer sentences", lesson: lesson({ difficulty: "hard", content: CONTENT_PRIMER }), codes: ["reading_level"] },
    { name: "dense prose is fine for hard", lesson: lesson({ difficulty: "hard", content: CONTENT_DENSE.split(", whose")[0] + ". " + CONTENT_EASY }), codes: [] },
    { name: "primer sentences are fine for intro", lesson: lesson({ difficulty: "intro", content: CONTENT_PRIMER }), codes: [] },
  ];

  it.each(cases)("$name", ({ lesson: l, codes }) => {
    expect(lessonRuleFailures(l, ignore).map((f) => f.code)).toEqual(codes);
    // Each failure has a message short enough for a repair prompt.
    for (const f of lessonRuleFailures(l, ignore)) expect(f.message.length).toBeLessThan(220);
  });

  it("the readability bands widen upward with difficulty and the sample texts land where expected", () => {
    expect(readingGrade(CONTENT_PRIMER)).toBeLessThan(readingBand("hard").min);
    expect(readingGrade(CONTENT_DENSE)).toBeGreaterThan(readingBand("intro").max);
    expect(readingGrade(CONTENT_EASY)).toBeGreaterThanOrEqual(readingBand("easy").min);
    expect(readingGrade(CONTENT_EASY)).toBeLessThanOrEqual(readingBand("easy").max);
  });
});

describe("rules across a batch", () => {
  it("rejects a later lesson that asks a question an earlier lesson asked, in other words", () => {
    const batch = new BatchQuality(ignore);
    const first = lesson();
    expect(batch.check(first)).toBeNull();
    batch.record(first);
    const second = lesson({
      title: "Why Sunny Plants Grow Faster",
      questions: [
        q("Inside a leaf, what does chlorophyll catch?", ["Energy from sunlight", "Minerals", "Nitrogen gas", "Heat from soil"]),
        q("Where does the oxygen leave the leaf?", ["Through tiny pores", "Through the roots", "Through the stem", "Through the flowers"]),
        q("What does the plant store for later?", ["Sugar", "Soil", "Light", "Pores"], 3),
      ],
    });
    expect(batch.check(second)?.code).toBe("question_repeat");
  });

  it("rejects a lesson that would make the correct choice the longest in more than half the batch", () => {
    const batch = new BatchQuality(ignore);
    // Two of three questions with the correct choice clearly longest: fine alone, not again and again.
    const leaning = (n: number): CheckableLesson =>
      lesson({
        title: `Leaning Lesson ${n}`,
        questions: [
          q(`Question alpha ${n} about leaves?`, [`The correct and much longer answer ${n}`, "Short", "Brief", "Tiny"]),
          q(`Question beta ${n} about roots?`, [`Another correct and longer answer ${n}`, "Small", "Quick", "Terse"]),
          q(`Question gamma ${n} about stems?`, ["Equal length one", "Equal length two", "Equal length six", "Equal length ten"]),
        ],
      });
    expect(batch.check(leaning(1))).toBeNull();
    batch.record(leaning(1));
    expect(batch.check(leaning(2))?.code).toBe("answer_longest");
    // A lesson with no such question is still welcome.
    expect(batch.check(lesson({ title: "Balanced Lesson" }))).toBeNull();
  });

  it("places correct answers balanced over a batch, yet at random", () => {
    const random = createRandom(11);
    const balancer = new PositionBalancer(random);
    const placed = Array.from({ length: 200 }, () => balancer.placeLesson(lesson()));
    // Never more than POSITION_SPREAD_MAX apart at any point, and the correct choice still the correct one.
    expect(positionSpread(placed)).toBeLessThanOrEqual(POSITION_SPREAD_MAX);
    for (const l of placed) for (const [i, qq] of l.questions.entries()) expect(qq.choices[qq.correctIndex]).toBe(goodQuestions()[i].choices[goodQuestions()[i].correctIndex]);
    // Not predictable: the position after a given one is spread over all four.
    const positions = placed.flatMap((l) => l.questions.map((qq) => qq.correctIndex));
    const next = [0, 0, 0, 0];
    for (let i = 1; i < positions.length; i++) if (positions[i - 1] === 0) next[positions[i]]++;
    for (const n of next) expect(n).toBeGreaterThan(positions.length / 4 / 4 / 2);
    // A free shuffle of the same batch drifts further apart than the balancer allows.
    const free = createRandom(11);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 600; i++) counts[Math.floor(free() * 4)]++;
    expect(Math.max(...counts) - Math.min(...counts)).toBeGreaterThan(POSITION_SPREAD_MAX);
  });
});

describe("countRuleFailures (for the bench)", () => {
  it("counts each delivered lesson once with its first failure, plus unbalanced positions", () => {
    const lessons: CheckableLesson[] = [
      lesson(),
      lesson({ title: "Dense Lesson", difficulty: "intro", content: CONTENT_DENSE, questions: [q("Q one about a?", ["a1", "a2", "a3", "a4"]), q("Q two about b?", ["b1", "b2", "b3", "b4"]), q("Q three about c?", ["c1", "c2", "c3", "c4"])] }),
      lesson({ title: "Repeat Lesson", questions: [goodQuestions()[0], q("Second unique question here?", ["x1", "x2", "x3", "x4"]), q("Third unique question here?", ["y1", "y2", "y3", "y4"])] }),
    ];
    const counted = countRuleFailures(lessons, ["Photosynthesis", "Biology"]);
    // All nine correct answers at position 0 or 1 or 2 without balancing: spread 3 → one answer_position.
    expect(counted.byCode).toMatchObject({ reading_level: 1, question_repeat: 1, choice_repeat: 0, answer_longest: 0 });
    expect(counted.byCode.answer_position).toBe(positionSpread(lessons) > POSITION_SPREAD_MAX ? 1 : 0);
    expect(counted.total).toBe(2 + counted.byCode.answer_position);
    expect(countRuleFailures([new PositionBalancer(createRandom(1)).placeLesson(lesson())]).total).toBe(0);
  });
});

describe("simulator lessons", () => {
  const brief = { subject: "Biology", topic: "Photosynthesis", difficulty: "medium" };
  const sim = (n: number) => writeLesson(brief, n, 0, createRandom(1000 + n)) as unknown as CheckableLesson;

  it("forty lessons of one topic pass every rule together, once their answers are placed", () => {
    // The writer has 20 angles and three wordings each: from the 41st lesson a topic's questions come
    // round again in a third wording, which the near-duplicate rule rightly catches.
    const balancer = new PositionBalancer(createRandom(3));
    const lessons = Array.from({ length: 40 }, (_, n) => balancer.placeLesson(sim(n)));
    const counted = countRuleFailures(lessons, ["Photosynthesis", "Biology"]);
    expect(counted.byCode).toEqual({ choice_repeat: 0, question_repeat: 0, answer_longest: 0, reading_level: 0, answer_position: 0 });
  });

  it.each(RULE_BREAKS)("a lesson made to break %s still passes the schema and fails that rule", (kind) => {
    for (let n = 0; n < 20; n++) {
      const raw = JSON.parse(JSON.stringify({ ...sim(n), slot: 0 })) as Record<string, unknown>;
      expect(breakLessonRule(raw, kind)).toBe(true);
      const checked = checkLesson(raw);
      expect(checked.ok).toBe(true);
      if (!checked.ok) continue;
      expect(lessonRuleFailures(checked.lesson, ignore).map((f) => f.code)).toContain(kind);
    }
  });
});
