import { useEffect } from "react";
import { useDevices } from "../stores/devices-store";
import { useRemembered } from "../stores/remembered-store";
import { useUi } from "../stores/ui-store";
import { DeviceRow } from "./DeviceRow";

export function DevicesScreen() {
  const { devices, load } = useDevices();
  const go = useUi((s) => s.go);
  useEffect(() => {
    void load();
    void useRemembered.getState().load();
  }, [load]);
  return (
    <section aria-labelledby="devices-h">
      <h1 id="devices-h">Devices</h1>
      {devices.length === 0 ? (
        <p>
          No paired devices yet.{" "}
          <button type="button" className="link" onClick={() => go("pairing")}>
            Pair a phone
          </button>
        </p>
      ) : (
        <ul className="devices">
          {devices.map((d) => (
            <DeviceRow key={d.id} device={d} />
          ))}
        </ul>
      )}
    </section>
  );
}
