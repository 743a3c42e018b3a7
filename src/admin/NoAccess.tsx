/** Ingen åtkomst: signed in without the Admin app role (or an admin route answered 403). No data is shown. */
import { Button, Text } from '@fluentui/react-components';
import * as React from 'react';
import type { Lang } from '../core/catalog';
import { fill } from './format';
import { COMMON_TEXTS } from './texts';
import { useStyles } from './ui/styles';

export function NoAccess({ lang, name, onSignOut }: { lang: Lang; name: string | null; onSignOut(): void }) {
  const t = COMMON_TEXTS[lang];
  const s = useStyles();
  return (
    <section data-testid="no-access" aria-labelledby="kk-no-access" className={s.form}>
      <h2 id="kk-no-access">{t.noAccessTitle}</h2>
      <Text as="p">{t.noAccessText}</Text>
      {name && <Text as="p">{fill(t.noAccessAs, { name })}</Text>}
      <div className={s.actions}>
        <Button onClick={onSignOut}>{t.signInAgain}</Button>
      </div>
    </section>
  );
}
