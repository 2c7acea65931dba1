/** A complaint as the intake hands it to TicketService.create, for tests that seed complaints directly. */
import type { NewComplaint } from '../../bot/tickets/service';

export function newComplaint(id: string, options: { category?: string; channelId?: string; description?: string } = {}): NewComplaint {
  return {
    customer: { channelId: options.channelId ?? 'directline', id, anonymous: false, phone: '13812345678', locale: 'zh-CN' },
    conversationRef: { conversation: { id } },
    details: { category: options.category ?? 'business_error', description: options.description ?? '转账没到账，钱被扣了', wish: '退款' },
    consent: { personalData: { given: true, at: new Date().toISOString(), retentionDays: 1825 } },
    lawfulBasis: { description: 'legal_obligation', phone: 'consent' },
    customerTexts: [],
  };
}
