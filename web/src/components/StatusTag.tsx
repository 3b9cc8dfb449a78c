import { Tag } from 'antd';
import type { ReactNode } from 'react';

/**
 * A tag in colours that keep WCAG AA contrast (white on these is ≥ 4.5:1); antd's preset light tags (green, red,
 * blue) are about 3.4:1 and fail axe-core.
 */
const TONES = { ok: '#1a7f37', bad: '#b3261e', info: '#1554c0' } as const;

export function StatusTag({ tone, children }: { tone: keyof typeof TONES | 'muted'; children: ReactNode }) {
  return tone === 'muted' ? <Tag>{children}</Tag> : <Tag color={TONES[tone]}>{children}</Tag>;
}
