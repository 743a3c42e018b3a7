/**
 * The admin console's entry (served at /admin/): pick the language (remembered choice, else
 * Swedish unless the browser is not) and mount the page. No Office.js here: a normal web page.
 */
import * as React from 'react';
import { createRoot } from 'react-dom/client';
import { AdminApp } from './App';
import { initialLang } from './format';

function localStore(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

const storage = localStore();
const lang = initialLang(storage, navigator.language);
document.documentElement.lang = lang;
createRoot(document.getElementById('root') as HTMLElement).render(<AdminApp lang={lang} storage={storage} redirectUri={`${location.origin}/admin/`} />);
