import type { Browser } from 'playwright-core';
export declare const CHROMIUM_PATH: string;
export declare function launchChromium(): Promise<Browser>;
export declare function freePort(): Promise<number>;
export declare function startPreview(options?: { outDir?: string; port?: number }): Promise<{ url: string; stop: () => Promise<unknown> }>;
