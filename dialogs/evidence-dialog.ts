/**
 * A picture sent outside the intake is evidence: it is added to the customer's
 * most recent open complaint; without one, it starts a complaint that keeps the
 * picture.
 */
import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import type { Translator } from '../bot/content/i18n';
import type { TicketService } from '../bot/tickets/service';
import { OPEN_STATUSES } from '../bot/tickets/state-machine';
import { turnLocaleOf } from '../bot/turn/turn-info';

export const EVIDENCE_DIALOG = 'evidence';

export class EvidenceDialog extends Dialog {
  constructor(
    private readonly tickets: TicketService,
    private readonly translator: Translator,
    private readonly intakeDialogId: string,
  ) {
    super(EVIDENCE_DIALOG);
  }

  override async beginDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const { channelId, from, attachments = [] } = dc.context.activity;
    const evidence = attachments.map((a) => ({ kind: a.contentType, url: a.contentUrl, name: a.name }));
    const open = (await this.tickets.listByCustomer(channelId, from.id)).find((t) => OPEN_STATUSES.includes(t.status));
    if (!open) return dc.replaceDialog(this.intakeDialogId, { evidence });
    for (const item of evidence) await this.tickets.addEvidence(open.number, 'customer', item);
    await dc.context.sendActivity(this.translator.t(turnLocaleOf(dc.context), 'progress:evidence.added', { number: open.number }));
    return dc.endDialog();
  }
}
