/**
 * zod schema of `content/policy/triage.json`: the phrase lists, cues, signals,
 * thresholds and level rules triage scores a message with. Supervisors edit the
 * file; the bot, `npm run content:check` and `npm run triage` validate it the
 * same way (bot/content/loader.ts).
 */
import { z } from 'zod';
import { LEVELS } from '../tickets/policy';

/** The emotions and the complexity a message is scored for (each also a reason id). */
export const DIMENSIONS = ['anger', 'distress', 'anxiety', 'urgency', 'complexity'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

const phrases = z.array(z.string().min(1));
const regex = z
  .string()
  .min(1)
  .refine((p) => {
    try {
      new RegExp(p, 'u');
      return true;
    } catch {
      return false;
    }
  }, 'not a valid regular expression');
const reasonId = z.string().regex(/^[a-z][A-Za-z]*(\.[a-z][A-Za-z]*)?$/, 'a reason id like "anger" or "threat.media"');

/**
 * One weighted group: phrases found anywhere (Latin on word boundaries), phrases
 * that count only as the whole message, and regular expressions over the
 * folded text (`raw: true`: over the lower-cased text before folding, for
 * emoji and symbols).
 */
const groupSchema = z
  .object({
    $comment: z.string().optional(),
    weight: z.number(),
    phrases: phrases.default([]),
    exact: phrases.default([]),
    patterns: z.array(z.object({ pattern: regex, raw: z.boolean().optional() }).strict()).default([]),
    /** Counts only in a message this short (Han characters plus Latin words): "人工客服" asks, a story that mentions it does not. */
    maxLength: z.number().int().positive().optional(),
  })
  .strict();
export type PhraseGroup = z.infer<typeof groupSchema>;
const groups = z.array(groupSchema);

/** A signal: something that matters whatever the mood (a threat, fraud, a vulnerable customer, a request for a person). */
const signalSchema = z
  .object({
    $comment: z.string().optional(),
    groups: groups.min(1),
    /** Added to the message score when found (a group's weight only decides whether it is found: ≥ 1 in all). */
    add: z.number(),
    /** Found alone, it hands the chat to a person. */
    handoff: z.boolean(),
    /** "如果被盗刷怎么办" asks about it, nothing happened: a hypothetical cue before it cancels it. */
    hypotheticalCancels: z.boolean().default(false),
  })
  .strict();
export type SignalPolicy = z.infer<typeof signalSchema>;

const levelRuleSchema = z
  .object({
    $comment: z.string().optional(),
    level: z.enum(LEVELS),
    /** Reason ids; "threat" matches every "threat.*". */
    ifAny: z.array(reasonId).default([]),
    /** How many different reasons of ifAny are needed. */
    atLeast: z.number().int().positive().default(1),
    /** Or: the conversation score reaches this. */
    minConversation: z.number().positive().optional(),
  })
  .strict()
  .refine((r) => r.ifAny.length > 0 || r.minConversation !== undefined, 'a rule needs ifAny or minConversation');

const positive = z.number().positive();

export const triagePolicySchema = z
  .object({
    $comment: z.string().optional(),
    negation: z
      .object({
        $comment: z.string().optional(),
        /** Negate a phrase a few characters (Chinese) or words (English) later, in the same clause: 不是, 没有, not. */
        cues: phrases,
        /** Negate only right before the phrase: 不生气. */
        immediate: phrases,
        /** Undo a negation: "怎么能不生气" is angry. */
        rhetorical: phrases,
        /** For signals with hypotheticalCancels: 如果, 万一, 防止, if, in case. */
        hypothetical: phrases,
        chineseWindow: z.number().int().positive(),
        englishWords: z.number().int().positive(),
        /** Characters before a signal that a hypothetical cue may stand in (across commas). */
        hypotheticalWindow: z.number().int().positive(),
      })
      .strict(),
    /** Dropped before `exact` phrases are compared with the whole message: 我要, 请, please. */
    fillers: phrases,
    dimensions: z.object(Object.fromEntries(DIMENSIONS.map((d) => [d, groups])) as Record<Dimension, typeof groups>).strict(),
    /** Politeness that takes the edge off words alone: subtracted from the emotions (its groups carry positive weights). */
    calm: groups,
    /** Scores each dimension is capped at, so one long rant does not stay in the conversation for ever. */
    cap: positive,
    intensity: z
      .object({
        $comment: z.string().optional(),
        /** Runs of ! / ！ (at least minRun): weight per run, at most max in all; a shorter run (a single "!") adds `single`. */
        exclamation: z.object({ minRun: z.number().int().min(1), weight: z.number(), single: z.number().default(0), max: z.number() }).strict(),
        /** Runs of ? / ？ and ?! mixes. */
        question: z.object({ minRun: z.number().int().min(1), weight: z.number(), max: z.number() }).strict(),
        /** The same character or short word over and over (啊啊啊, 好烦好烦好烦), except laughter and ellipses. */
        repeated: z.object({ minTimes: z.number().int().min(2), weight: z.number(), max: z.number(), ignore: phrases }).strict(),
        /** Capitals: at least minWords words in capitals, at least ratio of the Latin words; acronyms (ATM, POS) do not count. */
        shouting: z.object({ minWords: z.number().int().min(1), ratio: z.number().min(0).max(1), weight: z.number(), ignore: phrases }).strict(),
        /** Swearing, with its usual disguises (尼玛, TMD, 他妈): adds to anger and is named as a reason. */
        swearing: groups,
        /** Intensity is multiplied by this when the message has no emotional word at all. */
        aloneFactor: z.number().min(0),
      })
      .strict(),
    signals: z.record(reasonId, signalSchema),
    amount: z
      .object({
        $comment: z.string().optional(),
        /** Amounts at or above this (yuan) are large: reason "largeAmount". */
        thresholdCny: positive,
        add: z.number(),
        handoff: z.boolean(),
        /** Yuan per unit of other currencies written with $, HK$, usd, hkd … */
        rates: z.record(z.string().regex(/^[a-z]{3}$/), positive),
      })
      .strict(),
    /** "我妈80岁", "78 years old": an age at or above this is reason "vulnerable.elderly". */
    elderlyAge: z.number().int().positive(),
    /** Signal id an age read from the text counts for. */
    elderlySignal: reasonId,
    repeat: z.object({ $comment: z.string().optional(), add: z.number(), handoff: z.boolean() }).strict(),
    notUnderstood: z.object({ $comment: z.string().optional(), perMiss: z.number(), handoffAt: z.number().int().positive() }).strict(),
    /** Long messages are stories with several facts: complexity per 100 Han characters (or 60 English words), capped. */
    length: z.object({ $comment: z.string().optional(), per100Chars: z.number(), per60Words: z.number(), max: z.number() }).strict(),
    /** message = Σ weight × dimension (minus calm) + the signals' adds. */
    combine: z.object(Object.fromEntries(DIMENSIONS.map((d) => [d, z.number()])) as Record<Dimension, z.ZodNumber>).strict(),
    /** A dimension at least this high is named as a reason. */
    reasonAt: positive,
    handoff: z
      .object({
        $comment: z.string().optional(),
        /** One message this high hands off. */
        message: positive,
        /** The conversation (decayed sum) this high hands off: "mounting". Above `message`, or it would catch everything first. */
        conversation: positive,
        /** Each turn the conversation score so far is multiplied by this before the new message is added. */
        decay: z.number().min(0).max(1),
      })
      .strict()
      .refine((h) => h.conversation > h.message, { message: 'conversation must be above message', path: ['conversation'] }),
    /** Highest first is not required: the highest level any rule gives wins. */
    levels: z.array(levelRuleSchema),
    /**
     * The learned layer, used only when learned weights are published (policy/triage-weights.json): a message
     * the model reads as angry with at least this probability hands off (reason "anger"), beside the rules.
     */
    learned: z.object({ $comment: z.string().optional(), handoffAt: z.number().gt(0).max(1) }).strict().optional(),
  })
  .strict();

export type TriagePolicy = z.infer<typeof triagePolicySchema>;
