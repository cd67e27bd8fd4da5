/**
 * The built-in hardware profiles, one JSON file each in `profiles/` (the same format users write,
 * see FORMAT.md), validated when this module loads so a bad value fails loudly with its file.
 */
import hw1Mcu from './profiles/hw1-mcu.json' with { type: 'json' };
import stm32f446re from './profiles/stm32f446re.json' with { type: 'json' };
import stm32f746ng from './profiles/stm32f746ng.json' with { type: 'json' };
import raspberryPi4 from './profiles/raspberry-pi-4.json' with { type: 'json' };
import ryzen5950x from './profiles/ryzen-9-5950x.json' with { type: 'json' };
import a100 from './profiles/nvidia-a100-sxm4-40gb.json' with { type: 'json' };
import h100Sxm5 from './profiles/nvidia-h100-sxm5-80gb.json' with { type: 'json' };
import nvidiaA100Sxm480gb from './profiles/nvidia-a100-sxm4-80gb.json' with { type: 'json' };
import nvidiaH100Pcie80gb from './profiles/nvidia-h100-pcie-80gb.json' with { type: 'json' };
import nvidiaH200Sxm141gb from './profiles/nvidia-h200-sxm-141gb.json' with { type: 'json' };
import nvidiaL4 from './profiles/nvidia-l4.json' with { type: 'json' };
import nvidiaRtxA6000 from './profiles/nvidia-rtx-a6000.json' with { type: 'json' };
import nvidiaRtx4090 from './profiles/nvidia-rtx-4090.json' with { type: 'json' };
import nvidiaJetsonAgxOrin64gb from './profiles/nvidia-jetson-agx-orin-64gb.json' with { type: 'json' };
import nvidiaJetsonOrinNano8gb from './profiles/nvidia-jetson-orin-nano-8gb.json' with { type: 'json' };
import appleM2Ultra from './profiles/apple-m2-ultra.json' with { type: 'json' };
import appleM3Max from './profiles/apple-m3-max.json' with { type: 'json' };
import appleM4Max from './profiles/apple-m4-max.json' with { type: 'json' };
import raspberryPi5 from './profiles/raspberry-pi-5.json' with { type: 'json' };
import nvidiaRtx4060Laptop8gb from './profiles/nvidia-rtx-4060-laptop-8gb.json' with { type: 'json' };
import horowitz45nm from './profiles/horowitz-45nm.json' with { type: 'json' };
import { oneLine } from '../errors.ts';
import { HardwareError, parseHardwareProfile, type EnergyTable, type HardwareProfile } from './profile.ts';

const FILES: readonly [string, unknown][] = [
  ['hw1-mcu.json', hw1Mcu],
  ['stm32f446re.json', stm32f446re],
  ['stm32f746ng.json', stm32f746ng],
  ['raspberry-pi-4.json', raspberryPi4],
  ['ryzen-9-5950x.json', ryzen5950x],
  ['nvidia-a100-sxm4-40gb.json', a100],
  ['nvidia-h100-sxm5-80gb.json', h100Sxm5],
  ['nvidia-a100-sxm4-80gb.json', nvidiaA100Sxm480gb],
  ['nvidia-h100-pcie-80gb.json', nvidiaH100Pcie80gb],
  ['nvidia-h200-sxm-141gb.json', nvidiaH200Sxm141gb],
  ['nvidia-l4.json', nvidiaL4],
  ['nvidia-rtx-a6000.json', nvidiaRtxA6000],
  ['nvidia-rtx-4090.json', nvidiaRtx4090],
  ['nvidia-jetson-agx-orin-64gb.json', nvidiaJetsonAgxOrin64gb],
  ['nvidia-jetson-orin-nano-8gb.json', nvidiaJetsonOrinNano8gb],
  ['apple-m2-ultra.json', appleM2Ultra],
  ['apple-m3-max.json', appleM3Max],
  ['apple-m4-max.json', appleM4Max],
  ['raspberry-pi-5.json', raspberryPi5],
  ['nvidia-rtx-4060-laptop-8gb.json', nvidiaRtx4060Laptop8gb],
  ['horowitz-45nm.json', horowitz45nm],
];

function load(): Readonly<Record<string, HardwareProfile>> {
  const out: Record<string, HardwareProfile> = {};
  for (const [file, json] of FILES) {
    const profile = parseHardwareProfile(json, { file: `src/engine/hardware/profiles/${file}` });
    if (`${profile.id}.json` !== file) {
      throw new HardwareError([{ field: 'id', message: `'${profile.id}' does not match the file name` }], file);
    }
    out[profile.id] = profile;
  }
  return Object.freeze(out);
}

/** Built-in profiles by id: `HARDWARE_PROFILES['hw1-mcu']`. */
export const HARDWARE_PROFILES: Readonly<Record<string, HardwareProfile>> = load();

export const HARDWARE_PROFILE_IDS: readonly string[] = Object.keys(HARDWARE_PROFILES);

/** The lectures' 45 nm energy table (Horowitz, ISSCC 2014), for energy estimates on any model. */
export const ENERGY_45NM: EnergyTable = HARDWARE_PROFILES['horowitz-45nm']!.energy!;

/** A built-in profile by id, or an error that lists the ids there are. */
export function hardwareProfile(id: string): HardwareProfile {
  // Own keys only: `toString` or `__proto__` is not a profile.
  const profile = typeof id === 'string' && Object.hasOwn(HARDWARE_PROFILES, id) ? HARDWARE_PROFILES[id] : undefined;
  if (!profile) {
    throw new HardwareError([{ field: 'id', message: `unknown hardware profile '${oneLine(String(id), 60)}'; built in: ${HARDWARE_PROFILE_IDS.join(', ')}` }]);
  }
  return profile;
}
