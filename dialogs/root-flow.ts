/**
 * The customer's conversation as a whole: the menu's features (complaint,
 * progress, withdrawal, a person), the dialogs reached from anywhere (evidence,
 * appeal), and how a free message at the menu is understood. Built from
 * services only; `bot/app.ts` passes them in.
 */
import type { Translator } from '../bot/content/i18n';
import type { CommandRecognizer } from '../bot/content/commands';
import type { PreferenceStore } from '../bot/turn/preferences';
import type { ComplaintPolicy } from '../bot/tickets/policy';
import type { TicketService } from '../bot/tickets/service';
import type { ComplaintExtractor } from '../bot/intake/extract';
import type { CallbackService } from '../bot/handoff/callbacks';
import type { IntentRecognizer } from '../bot/understanding/recognizer';
import { MainFlow } from './main-dialog';
import { IntakeDialog, INTAKE_DIALOG } from './intake/intake-dialog';
import { IntakeSubmitter } from './intake/submit';
import { ProgressDialog, PROGRESS_DIALOG } from './progress-dialog';
import { WithdrawDialog, WITHDRAW_DIALOG } from './withdraw-dialog';
import { PersonDialog, PERSON_DIALOG, type LiveHandoff } from './person-dialog';
import { EvidenceDialog, EVIDENCE_DIALOG } from './evidence-dialog';
import { AppealDialog, APPEAL_DIALOG } from './appeal-dialog';
import { AnswerWords } from './words';
import { QuestionDialog, QUESTION_DIALOG, type KnowledgeBase } from './question-dialog';

export interface RootFlowServices {
  translator: Translator;
  commands: CommandRecognizer;
  preferences: PreferenceStore;
  policy: ComplaintPolicy;
  tickets: TicketService;
  extractor: ComplaintExtractor;
  callbacks: CallbackService;
  /** What a message means (bot/understanding): the menu acts on it. */
  recognizer: IntentRecognizer;
  /** A person in the chat now, when staff are on duty (otherwise the person dialog arranges a call-back). */
  live?: LiveHandoff;
  /** The FAQ knowledge base (bot/faq): questions are answered, at the menu and in the middle of a task. */
  knowledge?: KnowledgeBase;
  now: () => Date;
}

export function buildRootFlow(s: RootFlowServices): MainFlow {
  const { translator, preferences, policy, tickets, extractor, now } = s;
  const words = new AnswerWords(policy.intake.words);
  const submitter = new IntakeSubmitter(tickets, translator, policy, preferences);
  return new MainFlow({
    translator, commands: s.commands, preferences,
    features: [
      { entry: { id: 'complaint', labelKey: 'menu.complaint', dialogId: INTAKE_DIALOG }, dialog: new IntakeDialog({ translator, extractor, policy, submitter, preferences, now }) },
      { entry: { id: 'progress', labelKey: 'menu.progress', dialogId: PROGRESS_DIALOG }, dialog: new ProgressDialog(tickets, translator, policy) },
      { entry: { id: 'withdraw', labelKey: 'menu.withdraw', dialogId: WITHDRAW_DIALOG }, dialog: new WithdrawDialog(tickets, translator, words) },
      { entry: { id: 'person', labelKey: 'menu.person', dialogId: PERSON_DIALOG }, dialog: new PersonDialog(s.callbacks, tickets, preferences, translator, policy, s.live) },
      ...(s.knowledge ? [{ entry: { id: 'question', labelKey: 'menu.question', dialogId: QUESTION_DIALOG }, dialog: new QuestionDialog(s.knowledge, translator) }] : []),
    ],
    extraDialogs: [new EvidenceDialog(tickets, translator, INTAKE_DIALOG), new AppealDialog(tickets, translator, policy, now)],
    appealDialogId: APPEAL_DIALOG,
    storyDialogId: INTAKE_DIALOG,
    evidenceDialogId: EVIDENCE_DIALOG,
    ticketDialogId: PROGRESS_DIALOG,
    personDialogId: PERSON_DIALOG,
    understanding: s.recognizer,
    questionDialogId: s.knowledge ? QUESTION_DIALOG : undefined,
    knowledge: s.knowledge,
  });
}
