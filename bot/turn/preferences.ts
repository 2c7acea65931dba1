/**
 * What we remember about a customer across conversations on one channel:
 * only their language. Kept in botbuilder UserState (Redis through BackendStorage).
 */
import type { StatePropertyAccessor, TurnContext, UserState } from 'botbuilder';
import type { SupportedLocale } from '../content/schemas';

export interface CustomerPreferences {
  /** A language the customer picked explicitly; wins over detection. */
  chosenLocale?: SupportedLocale;
  /** The language their messages were last written in. */
  detectedLocale?: SupportedLocale;
  /** A phone number the customer gave for call-backs (kept so they are not asked twice). */
  phone?: string;
}

export interface PreferenceStore {
  get(context: TurnContext): Promise<CustomerPreferences>;
  update(context: TurnContext, change: Partial<CustomerPreferences>): Promise<void>;
}

export class UserStatePreferences implements PreferenceStore {
  private readonly accessor: StatePropertyAccessor<CustomerPreferences>;

  constructor(userState: UserState) {
    this.accessor = userState.createProperty<CustomerPreferences>('preferences');
  }

  async get(context: TurnContext): Promise<CustomerPreferences> {
    return (await this.accessor.get(context, {})) ?? {};
  }

  async update(context: TurnContext, change: Partial<CustomerPreferences>): Promise<void> {
    const current = await this.get(context);
    await this.accessor.set(context, { ...current, ...change });
  }
}
