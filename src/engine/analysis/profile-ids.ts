/**
 * The counting profiles' ids, apart from the profiles (profiles.ts): a problem's schema names them,
 * and the practice page's script validates problems without carrying the tools' rules.
 */
export const PROFILE_IDS = [
  'standard',
  'thop',
  'thop-0.0.31',
  'ptflops',
  'ptflops-aten',
  'torchprofile',
  'fvcore',
  'torchinfo',
  'torchinfo-1.8.0',
  'calflops',
  'deepspeed',
  'torchvision',
  'lectures',
  'seed001-non-pipelined',
  'seed001-fma',
] as const;
export type ProfileId = (typeof PROFILE_IDS)[number];
