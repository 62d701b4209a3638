import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cell, code, plural } from '../../src/report/markdownText.js';

test('code spans survive the backticks inside them (CommonMark 6.1: a longer fence, a space when needed)', () => {
  assert.equal(code('ls -l'), '`ls -l`');
  assert.equal(code('echo `date`'), '`` echo `date` ``');
  assert.equal(code('RUN a=`x` && b=``y``'), '``` RUN a=`x` && b=``y`` ```');
  assert.equal(code('`start'), '`` `start ``');
  assert.equal(code('two\nlines'), '`two lines`');
});

test('table cells escape pipes; counts agree with their nouns', () => {
  assert.equal(cell('a|b\nc'), 'a\\|b c');
  assert.equal(plural(1, 'warning'), '1 warning');
  assert.equal(plural(2, 'warning'), '2 warnings');
  assert.equal(plural(0, 'failed check'), '0 failed checks');
});
