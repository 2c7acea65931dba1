/**
 * Finds secrets a customer typed after a password word: 密码/密碼/口令 (支付、
 * 取款、提款、交易、登录… 密码), 验证码, 安全码, PIN/PIN码, password, passcode,
 * passwd, pwd, CVV, OTP. Only the secret is masked, the word stays ("PIN码 ****"),
 * so the customer's sentence still reads. Runs on the detection view, where
 * full-width and zero-width characters are already normalised.
 *
 * A secret is an ASCII token (letters, digits, symbols), digits in groups
 * ("12 34 56") or Chinese numerals (一二三四五六). Words that are not secrets
 * are left alone: "密码错误", "密码是不是泄露了", "密码输错3次",
 * "my password is not working", "the PIN pad".
 */

export interface SecretSpan {
  start: number;
  end: number;
}

const ZH_WORD = String.raw`(?:支付|取款|提款|交易|查询|查詢|登录|登錄|登陆|登陸|网银|網銀|银行卡|銀行卡|手机银行|手機銀行|卡)?(?:密码|密碼|口令)|验证码|驗證碼|校验码|校驗碼|动态码|動態碼|安全码|安全碼`;
const EN_WORD = String.raw`(?<![A-Za-z])(?:pin(?:\s*(?:码|碼|code|number|no\.?))?|passwords?|passcode|passwd|pwd|cvv2?|cvc2?|otp)(?![A-Za-z])`;
// "是", "为", ":", "=", "is", "was", or a few words ending in one ("我设的是", "改成了", "好像是").
const JOINER = String.raw`\s*(?:(?:就是|都是|也是|是|为|為|is|was|[:=])\s*[:=]?|[\u4e00-\u9fff]{1,4}?(?:是|为|為|成)了?\s*[:=]?)?\s*`;
// ASCII without "," and ";" (they end a sentence, not a password), then any further spaced digit groups.
const TOKEN_CHAR = String.raw`!-+\--:<-~`;
const SECRET = String.raw`[${TOKEN_CHAR}]+(?:[ ]{1,2}\d+)*(?![${TOKEN_CHAR}])|[零〇一二三四五六七八九壹贰貳叁參肆伍陆陸柒捌玖]{4,}`;
// "5000元", "3次", "6位": a quantity, not a secret.
const NOT_A_QUANTITY = String.raw`(?!\s*(?:[元块塊万萬次天位个個号號日月年岁歲笔筆%]|小时|小時|分钟|分鐘|yuan|rmb|times|digits?))`;

const PASSWORD = new RegExp(`(${ZH_WORD}|${EN_WORD})(${JOINER})(${SECRET})${NOT_A_QUANTITY}`, 'gi');

export function findSecrets(text: string): SecretSpan[] {
  const spans: SecretSpan[] = [];
  for (const m of text.matchAll(PASSWORD)) {
    const [, word = '', joiner = '', token = ''] = m;
    // Strip sentence punctuation that ended the secret ("pin: 1234.").
    const secret = token.replace(/[.!?]+$/, '');
    if ([...secret.replace(/\s/g, '')].length < 3) continue;
    // After an English word without ":" or "=", only a token with a digit is a secret ("password is hunter2", not "is not").
    const english = /^[A-Za-z]/.test(word) && !/[码碼]$/.test(word);
    if (english && !/[:=]/.test(joiner) && !/\d/.test(secret)) continue;
    const start = m.index + word.length + joiner.length;
    spans.push({ start, end: start + secret.length });
  }
  return spans;
}
