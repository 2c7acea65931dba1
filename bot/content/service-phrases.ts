/**
 * 服务禁语 — phrases no customer-facing text may contain, in any locale
 * (DOMAIN.md, from the bank's service rules), and rude forms of address used to
 * call a customer. Kept in code, not in content/: the guard must not live in the
 * files it guards, where an edit could weaken it.
 */
export const SERVICE_PHRASES = {
  forbidden: [
    '我不知道', '不归我管', '不歸我管', '自己去看', '问别人去', '問別人去',
    '你问我，我问谁', '你問我，我問誰', '你问我我问谁', '我已经说过了', '我已經說過了',
    '急什么', '急什麼', '烦不烦', '煩不煩', '没完没了', '沒完沒了',
    '明天再来吧', '明天再來吧', '有意见，去告啊', '有意見，去告啊', '没空理你', '沒空理你',
    '我就是这种态度', '我就是這種態度',
  ],
  rudeAddress: ['哎', '喂', '嘿'],
} as const;

export type ServicePhrases = { forbidden: readonly string[]; rudeAddress: readonly string[] };
