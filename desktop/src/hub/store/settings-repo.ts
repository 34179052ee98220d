import type { Logger } from "pino";
import type { RepoContext } from "./repo-context";
import { SETTING_SPECS, type SettingKey, type Settings } from "./settings-schema";
import { StoreError } from "./store-error";

/** Typed key/value settings stored as JSON; a key never set reads as its default. */
export class SettingsRepo {
  constructor(
    private readonly ctx: RepoContext,
    private readonly log?: Logger,
  ) {}

  async get<K extends SettingKey>(key: K): Promise<Settings[K]> {
    const row = await this.ctx.db.selectFrom("settings").select("value").where("key", "=", key).executeTakeFirst();
    return row === undefined ? SETTING_SPECS[key].default : this.decode(key, row.value);
  }

  /** All settings, defaults filled in. */
  async getAll(): Promise<Settings> {
    const rows = await this.ctx.db.selectFrom("settings").select(["key", "value"]).execute();
    const stored = new Map(rows.map((r) => [r.key, r.value]));
    const out = {} as Record<SettingKey, unknown>;
    for (const key of Object.keys(SETTING_SPECS) as SettingKey[]) {
      const value = stored.get(key);
      out[key] = value === undefined ? SETTING_SPECS[key].default : this.decode(key, value);
    }
    return out as Settings;
  }

  /**
   * Validates and stores a value; throws `StoreError("invalid")` with the reason if it does not fit.
   * @example await store.settings.set("approvals", "phone")
   */
  async set<K extends SettingKey>(key: K, value: Settings[K]): Promise<void> {
    const checked = SETTING_SPECS[key].check(value);
    if (!checked.ok) throw new StoreError("invalid", `setting ${key} ${checked.error}`);
    const json = JSON.stringify(checked.value);
    const updatedAt = this.ctx.now();
    await this.ctx.db
      .insertInto("settings")
      .values({ key, value: json, updated_at: updatedAt })
      .onConflict((oc) => oc.column("key").doUpdateSet({ value: json, updated_at: updatedAt }))
      .execute();
  }

  private decode<K extends SettingKey>(key: K, json: string): Settings[K] {
    const checked = SETTING_SPECS[key].check(JSON.parse(json));
    if (checked.ok) return checked.value as Settings[K];
    // Only a hand-edited database gets here; fall back rather than refuse to start.
    this.log?.warn({ key, error: checked.error }, "stored setting is invalid; using the default");
    return SETTING_SPECS[key].default;
  }
}
