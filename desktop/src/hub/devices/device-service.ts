import { AppType, type Capability } from "@neural-link/shared/app";
import type { Logger } from "pino";
import { DESKTOP_ACTOR, type AuditLog } from "../audit-log";
import type { DeviceInfo, DeviceRiskPolicy } from "../api";
import { HubError } from "../hub-error";
import type { HubEmitter } from "../hub-events";
import type { HubLink } from "../link/hub-link";
import type { DeviceRecord, RiskPolicy, Store } from "../store";
import { canonicalCaps, knownCaps } from "./caps";
import { normalizeRiskPolicy, uiRiskPolicy } from "./risk-policy";

/**
 * Paired devices as the desktop user manages them: list, rename, change
 * capabilities and risk policy, revoke. A revoked device's frames are dropped
 * from that moment (its key leaves the endpoint) and the relay is told to
 * refuse it and delete what it holds for us from it.
 */
export class DeviceService {
  private readonly log: Logger;
  /** Called after a revoke, so other services (terminals) can drop what the device owned. */
  onRevoked: (device: string) => void = () => {};

  constructor(
    private readonly store: Store,
    private readonly link: HubLink,
    private readonly audit: AuditLog,
    private readonly events: HubEmitter,
    log: Logger,
  ) {
    this.log = log.child({ mod: "hub/devices" });
    link.on("presence", () => void this.announce());
  }

  async list(): Promise<DeviceInfo[]> {
    return (await this.store.devices.list()).map((d) => this.toInfo(d));
  }

  async describe(id: string): Promise<DeviceInfo> {
    return this.toInfo(await this.active(id));
  }

  /** Capabilities of an active device; empty for unknown or revoked ones. */
  async capsOf(id: string): Promise<Capability[]> {
    const d = await this.store.devices.get(id);
    return d && d.revokedAt === null ? knownCaps(d.caps) : [];
  }

  async policyOf(id: string): Promise<RiskPolicy | undefined> {
    return (await this.store.devices.get(id))?.policy;
  }

  async nameOf(id: string): Promise<string> {
    if (id === DESKTOP_ACTOR) return "This desktop";
    return (await this.store.devices.get(id))?.name ?? id.slice(0, 8);
  }

  async rename(id: string, name: string): Promise<DeviceInfo> {
    await this.active(id);
    const trimmed = name.trim();
    if (trimmed.length === 0 || trimmed.length > 64)
      throw new HubError("bad_params", "a device name is 1 to 64 characters");
    const d = await this.store.devices.rename(id, trimmed);
    await this.audit.record(DESKTOP_ACTOR, "device.renamed", id, { name: trimmed });
    return this.changed(d);
  }

  async setCaps(id: string, caps: Capability[]): Promise<DeviceInfo> {
    await this.active(id);
    const granted = canonicalCaps(caps);
    const d = await this.store.devices.setCaps(id, granted);
    await this.audit.record(DESKTOP_ACTOR, "device.caps", id, { caps: granted });
    return this.changed(d);
  }

  /** Replaces the device's risk overrides; the next command it asks for is judged by them. */
  async setPolicy(id: string, policy: DeviceRiskPolicy): Promise<DeviceInfo> {
    await this.active(id);
    const stored = normalizeRiskPolicy(policy);
    const d = await this.store.devices.setPolicy(id, stored);
    await this.audit.record(DESKTOP_ACTOR, "device.policy", id, { policy: stored });
    return this.changed(d);
  }

  async revoke(id: string): Promise<void> {
    await this.active(id);
    await this.store.devices.revoke(id);
    // Tell the phone while its key is still known, so it can show that it was unpaired.
    if (this.link.status.state !== "closed") {
      await this.link
        .send(id, AppType.DEVICE_REVOKED, { device: id }, 1)
        .catch((err: unknown) => this.log.info({ err: String(err) }, "device.revoked not queued"));
    }
    await this.link
      .removePeer(id)
      .catch((err: unknown) => this.log.warn({ err: String(err) }, "relay REVOKE failed; retried on next session"));
    this.onRevoked(id);
    await this.audit.record(DESKTOP_ACTOR, "device.revoked", id);
    await this.announce();
  }

  /** Sends the full device list to the UI (after presence or any change). */
  async announce(): Promise<void> {
    this.events.emit("devices", await this.list());
  }

  private async changed(d: DeviceRecord): Promise<DeviceInfo> {
    await this.announce();
    return this.toInfo(d);
  }

  private async active(id: string): Promise<DeviceRecord> {
    const d = await this.store.devices.get(id);
    if (!d || d.revokedAt !== null) throw new HubError("not_found", "no such paired device");
    return d;
  }

  private toInfo(d: DeviceRecord): DeviceInfo {
    return {
      id: d.id,
      name: d.name,
      kind: d.kind,
      online: this.link.isOnline(d.id),
      caps: knownCaps(d.caps),
      policy: uiRiskPolicy(d.policy),
      pairedAt: d.pairedAt,
      lastSeen: d.lastSeen,
    };
  }
}
