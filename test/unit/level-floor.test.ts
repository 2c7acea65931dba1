/** Triage's level is a floor for the ticket's (bot/tickets/level.ts): an upset conversation never files a "general" complaint. */
import { loadContent } from '../../bot/content/loader';
import { levelFor } from '../../bot/tickets/level';

const policy = loadContent().complaints;

describe('the ticket level with a floor from triage', () => {
  it('is at least the floor when the words alone say general', () => {
    expect(levelFor(policy, { texts: ['信用卡年费扣了两次'] })).toBe('general');
    expect(levelFor(policy, { texts: ['信用卡年费扣了两次'], atLeast: 'urgent' })).toBe('urgent');
  });

  it('keeps a higher level the words give', () => {
    const words = levelFor(policy, { texts: ['再不处理我就找媒体曝光，还要去银保监会投诉'] });
    expect(words).not.toBe('general');
    // A lower floor never lowers what the words say.
    expect(levelFor(policy, { texts: ['再不处理我就找媒体曝光，还要去银保监会投诉'], atLeast: 'general' })).toBe(words);
  });
});
