/** Asserts a translation key has a non-empty string in both languages (for keys built at run time). */
import { expect } from 'chai';
import en from '@web/i18n/en.json';
import zh from '@web/i18n/zh-CN.json';

type Tree = { [k: string]: string | Tree };

const lookup = (tree: Tree, key: string): string | undefined => {
  let node: string | Tree | undefined = tree;
  for (const part of key.split('.')) node = typeof node === 'object' ? node[part] : undefined;
  return typeof node === 'string' ? node : undefined;
};

export function expectKey(key: string): void {
  expect(lookup(en as Tree, key), `en: ${key}`).to.be.a('string').and.not.equal('');
  expect(lookup(zh as Tree, key), `zh-CN: ${key}`).to.be.a('string').and.not.equal('');
}
