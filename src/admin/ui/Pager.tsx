/** Föregående / Nästa and "1–50 av 5 000" under a server-paged table. */
import { Button, Text } from '@fluentui/react-components';
import * as React from 'react';
import type { Lang } from '../../core/catalog';
import { fill, formatCount } from '../format';
import { COMMON_TEXTS } from '../texts';
import { useStyles } from './styles';

export interface PagerProps {
  lang: Lang;
  offset: number;
  limit: number;
  /** Rows on this page. */
  shown: number;
  total: number;
  onOffset(offset: number): void;
  /** What the table lists, for the navigation's name ("Användare"). */
  label: string;
}

export function rangeText(lang: Lang, offset: number, shown: number, total: number): string {
  const t = COMMON_TEXTS[lang];
  const from = shown === 0 ? 0 : offset + 1;
  return fill(t.range, { from: formatCount(from, lang), to: formatCount(offset + shown, lang), total: formatCount(total, lang) });
}

export function Pager({ lang, offset, limit, shown, total, onOffset, label }: PagerProps) {
  const t = COMMON_TEXTS[lang];
  const s = useStyles();
  return (
    <nav aria-label={`${label}: ${t.paging}`} className={s.actions}>
      <Button disabled={offset <= 0} onClick={() => onOffset(Math.max(0, offset - limit))}>
        {t.previous}
      </Button>
      <Text data-testid="pager-range">{rangeText(lang, offset, shown, total)}</Text>
      <Button disabled={offset + shown >= total} onClick={() => onOffset(offset + limit)}>
        {t.next}
      </Button>
    </nav>
  );
}
