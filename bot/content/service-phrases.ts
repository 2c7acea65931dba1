/**
 * 服务禁语 — phrases no customer-facing text may contain, in any locale
 * (DOMAIN.md, from the bank's service rules), and rude forms of address used to
 * call a customer. Kept in code, not in content/: the guard must not live in the
 * files it guards, where an edit could weaken it. For the same reason the desk's
 * policy names a group below, never a phrase, when it chooses the better wording
 * offered to staff (policy/desk.json `suggestions`).
 */
export const FORBIDDEN_PHRASE_GROUPS = {
  dontKnow: ['我不知道', '你问我，我问谁', '你問我，我問誰', '你问我我问谁'],
  notMine: ['不归我管', '不歸我管', '问别人去', '問別人去'],
  lookYourself: ['自己去看'],
  toldYou: ['我已经说过了', '我已經說過了'],
  impatient: ['急什么', '急什麼', '烦不烦', '煩不煩', '没完没了', '沒完沒了'],
  comeBack: ['明天再来吧', '明天再來吧'],
  goComplain: ['有意见，去告啊', '有意見，去告啊'],
  noTime: ['没空理你', '沒空理你'],
  attitude: ['我就是这种态度', '我就是這種態度'],
  rudeAddress: ['哎', '喂', '嘿'],
} as const;

export type ForbiddenPhraseGroup = keyof typeof FORBIDDEN_PHRASE_GROUPS;
export const FORBIDDEN_PHRASE_GROUP_NAMES = Object.keys(FORBIDDEN_PHRASE_GROUPS) as [ForbiddenPhraseGroup, ...ForbiddenPhraseGroup[]];

const { rudeAddress, ...sayings } = FORBIDDEN_PHRASE_GROUPS;

export const SERVICE_PHRASES = {
  forbidden: Object.values(sayings).flat(),
  rudeAddress,
} as const;

export type ServicePhrases = { forbidden: readonly string[]; rudeAddress: readonly string[] };

/** The group a phrase the guard found belongs to (as the reply holds it: "喂", not "喂（称呼）"). */
export function forbiddenPhraseGroupOf(phrase: string): ForbiddenPhraseGroup | undefined {
  return FORBIDDEN_PHRASE_GROUP_NAMES.find((group) => (FORBIDDEN_PHRASE_GROUPS[group] as readonly string[]).includes(phrase));
}
