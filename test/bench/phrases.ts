/**
 * What the simulated customers write, in the three languages the bot serves.
 * Written for the benchmark (not taken from any data set): long run-on stories
 * the way customers type them, with an amount, a date, a branch and a wish,
 * some complete and some missing what the bot then has to ask for. Phone and
 * card numbers are made up.
 */
export type Lang = 'zh-CN' | 'zh-TW' | 'en';

export interface Phrases {
  /** Complaint stories: the first message of an intake. */
  stories: string[];
  /** Answers to the intake's questions; the `*Again` ones are what a customer says when asked a second time. */
  when: string[];
  whenAgain: string;
  amount: string[];
  amountAgain: string;
  wish: string[];
  contact: string[];
  anonymous: string;
  agree: string;
  decline: string;
  submit: string;
  notSameMatter: string;
  carryOn: string;
  /** When the bot asks "what happened?" after a short start. */
  shortStory: string;
  cancel: string;
  /** Questions a customer asks at the front door (whatever the bot answers; one that names a category may start an intake). */
  questions: string[];
  /** Progress: the menu label as tapped, a number the customer mistyped, and the words before their own number. */
  progressTap: string;
  progressUnknown: string;
  progressWith: (number: string) => string;
  /** Menu and help: the help word, a menu number, a greeting, a filler. */
  menu: string[];
}

export const PHRASES: Record<Lang, Phrases> = {
  'zh-CN': {
    stories: [
      '我上个月18号在陆家嘴支行的ATM取3000块钱，机器响了半天钱没出来，可卡里已经扣了，当时打客服电话一直占线，到现在快一个月了钱还没退回来，希望尽快把钱退给我，我电话13800138021',
      '你们国贸支行的理财经理去年11月给我推荐了一款说是保本的理财产品，我买了20万，当时根本没说风险，现在亏了一万二，我要求银行把亏损赔给我，不然我就去监管部门反映',
      '信用卡尾号4821这个月账单里莫名其妙多了一笔680元的年费，办卡的时候业务员明明说首年免年费，刷满六次还能免，我都刷了十几次了，希望把这笔年费退回来',
      '今天上午在徐家汇支行排队排了两个多小时，只开了一个窗口，大堂经理爱理不理的，态度非常差，我要求你们给个说法并且道歉',
      '前天晚上收到一条短信说我的账户有异常，我没点链接，可是昨天凌晨卡里被盗刷了两笔一共8500元，已经报警了，请银行马上冻结并追回损失，联系电话 0755-86001234',
      '3月5日通过手机银行给我妈转了5000元，到现在对方都没到账，钱也没退回来，打客服说让等，已经等了一个星期了',
      '我要投诉你们中关村支行的柜员，昨天下午办业务的时候她一直在玩手机，问她问题还不耐烦地骂人，希望严肃处理这个员工，我的手机号是13912340567',
      '天河支行上周五给我办房贷提前还款，多扣了我2360元的违约金，合同上根本没写这个，请你们核实后退还多收的钱，电话13600001111，卡号6222 0212 3456 7890 123',
      '我爸七十多岁了，上周二一个人去福田支行存钱，被工作人员忽悠买了一份十年期的保险，交了五万块，他根本不知道是保险，我们家属要求全额退保',
      '手机银行这两天一直闪退登录不了，转账转不出去，耽误了我给供应商付货款，还被对方扣了违约金，你们的系统太差了',
    ],
    when: ['前天下午', '上周三', '3月12日', '昨天上午十点左右'],
    whenAgain: '昨天下午',
    amount: ['3200元', '两千五百块', '1500', '大概八百元'],
    amountAgain: '1000元',
    wish: ['希望退款并给个解释', '尽快处理，把钱退给我', '要求道歉', '给我一个合理的说法'],
    contact: ['13800138000', '我的电话是 021-62881234', '匿名', '13711112222'],
    anonymous: '匿名',
    agree: '同意',
    decline: '不同意',
    submit: '确认提交',
    notSameMatter: '不是',
    carryOn: '继续',
    shortStory: '柜员把我的钱转错了账户',
    cancel: '取消',
    questions: ['信用卡年费怎么免', '网银转账限额是多少', '怎么挂失银行卡', '你们周末营业吗', '大额存单利率现在多少'],
    progressTap: '查询投诉进度',
    progressUnknown: '查询进度 TS-20250301-0042',
    progressWith: (n) => `查询进度 ${n}`,
    menu: ['帮助', '6', '你好', '嗯', '2'],
  },
  'zh-TW': {
    stories: [
      '我上週三在福田支行轉帳兩萬元給我兒子，到現在都還沒到賬，櫃員說是系統問題叫我自己等，希望盡快幫我查清楚並退款，電話13700002222',
      '信用卡每個月都被扣一筆98元的服務費，我從來沒有申請過任何加值服務，希望全部退還，這樣亂收費太過分了',
      '昨天下午在陸家嘴支行辦業務，櫃員態度很差，一直催我快點，還當著其他客人的面大聲說我聽不懂，我要求道歉，我的電話是13922223333',
    ],
    when: ['前天下午', '上週三', '3月12日'],
    whenAgain: '昨天下午',
    amount: ['3200元', '兩千五百元', '1500'],
    amountAgain: '1000元',
    wish: ['希望退款並給個解釋', '盡快處理，把錢退給我', '要求道歉'],
    contact: ['13800138000', '匿名'],
    anonymous: '匿名',
    agree: '同意',
    decline: '不同意',
    submit: '確認提交',
    notSameMatter: '不是',
    carryOn: '繼續',
    shortStory: '櫃員把我的錢轉錯了帳戶',
    cancel: '取消',
    questions: ['信用卡年費怎麼免', '網銀轉帳限額是多少', '怎麼掛失銀行卡'],
    progressTap: '查詢投訴進度',
    progressUnknown: '查詢進度 TS-20250301-0042',
    progressWith: (n) => `查詢進度 ${n}`,
    menu: ['幫助', '6', '你好'],
  },
  en: {
    stories: [
      'Last Tuesday I transferred 12,000 yuan through the mobile app to my landlord and it has still not been received, but the money has left my account. I want the transfer traced or refunded as soon as possible. You can reach me on 13500003333.',
      'The staff at the Guomao branch were really rude to my elderly father yesterday morning, they shouted at him in front of everyone. We would like a written apology.',
      'I was charged an annual fee of 300 yuan on my credit card ending 7730 although the sales person told me it was free for life. Please refund it.',
    ],
    when: ['the day before yesterday', 'last Wednesday', '12 March'],
    whenAgain: 'yesterday afternoon',
    amount: ['3200 yuan', '2,500 yuan', '1500'],
    amountAgain: '1000 yuan',
    wish: ['Please refund the money and explain what went wrong', 'I want an apology', 'Fix it and give me my money back'],
    contact: ['13500004444', 'anonymous'],
    anonymous: 'anonymous',
    agree: 'agree',
    decline: 'disagree',
    submit: 'submit',
    notSameMatter: 'no',
    carryOn: 'continue',
    shortStory: 'The teller sent my money to the wrong account',
    cancel: 'cancel',
    questions: ['How do I get the credit card annual fee waived?', 'What is the daily transfer limit online?', 'How do I report a lost card?'],
    progressTap: 'Check my complaint',
    progressUnknown: 'TS-20250301-0042',
    progressWith: (n) => `what is the status of ${n}`,
    menu: ['help', '6', 'hi'],
  },
};
