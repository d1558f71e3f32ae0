import * as assert from 'assert';
import { particleAfter, resolveParticles } from '../../src/shared/koreanParticles';

describe('Korean particles', () => {
  it('follow the final sound of Hangul words (consonant, vowel, ㄹ for (으)로)', () => {
    assert.strictEqual(particleAfter('파일', '을(를)'), '을');
    assert.strictEqual(particleAfter('이미지', '을(를)'), '를');
    assert.strictEqual(particleAfter('설정', '이(가)'), '이');
    assert.strictEqual(particleAfter('키', '이(가)'), '가');
    assert.strictEqual(particleAfter('작업', '(으)로'), '으로');
    assert.strictEqual(particleAfter('폴더', '(으)로'), '로');
    assert.strictEqual(particleAfter('파일', '(으)로'), '로');
    assert.strictEqual(particleAfter('사진', '과(와)'), '과');
    assert.strictEqual(particleAfter('여우', '은(는)'), '는');
  });

  it('read numbers as Korean does: 1 일, 2 이, 3 삼, 10 십, 100 백', () => {
    assert.strictEqual(particleAfter('1', '이(가)'), '이');
    assert.strictEqual(particleAfter('2', '이(가)'), '가');
    assert.strictEqual(particleAfter('3', '을(를)'), '을');
    assert.strictEqual(particleAfter('9', '을(를)'), '를');
    assert.strictEqual(particleAfter('10', '이(가)'), '이');
    assert.strictEqual(particleAfter('100', '을(를)'), '을');
    assert.strictEqual(particleAfter('25 MB', '이(가)'), '가');
  });

  it('read Latin names as loanwords or by their letters', () => {
    assert.strictEqual(particleAfter('Apiframe', '이(가)'), '이'); // 에이피아이프레임
    assert.strictEqual(particleAfter('Flux', '이(가)'), '가'); // 플럭스
    assert.strictEqual(particleAfter('fluxStudio.apiBaseUrl', '을(를)'), '을'); // …유알엘
    assert.strictEqual(particleAfter('fluxStudio.saveFolder', '을(를)'), '를'); // …폴더
    assert.strictEqual(particleAfter('images/fox.png', '이(가)'), '가'); // 피엔지
    assert.strictEqual(particleAfter('README.md', '은(는)'), '는'); // 엠디
    assert.strictEqual(particleAfter('URL', '(으)로'), '로'); // 유알엘
    assert.strictEqual(particleAfter('notes/file', '(으)로'), '로'); // 파일
  });

  it('skip closing quotes and brackets, and keep both forms when the sound is unknown', () => {
    assert.strictEqual(particleAfter('“여우”', '을(를)'), '를');
    assert.strictEqual(particleAfter('“숲속의 작업”', '을(를)'), '을');
    assert.strictEqual(particleAfter('(images)', '을(를)'), '를');
    assert.strictEqual(particleAfter('🦊', '을(를)'), '을(를)');
    assert.strictEqual(particleAfter('狐', '이(가)'), '이(가)');
  });

  it('resolve every pair in a translated message once the names are filled in', () => {
    assert.strictEqual(resolveParticles('“숲속의 여우”을(를) 생성하지 못했습니다.'), '“숲속의 여우”를 생성하지 못했습니다.');
    assert.strictEqual(resolveParticles('images/fox.png을(를) 저장했지만 notes.md에 삽입하지 못했습니다.'), 'images/fox.png를 저장했지만 notes.md에 삽입하지 못했습니다.');
    assert.strictEqual(resolveParticles('이 작업 영역이 fluxStudio.webhookUrl을(를) 설정합니다'), '이 작업 영역이 fluxStudio.webhookUrl을 설정합니다');
    assert.strictEqual(resolveParticles('No particles here (none).'), 'No particles here (none).');
    assert.strictEqual(resolveParticles('을(를) 맨 앞'), '을(를) 맨 앞', 'nothing precedes it');
  });

  it('is linear: a long text with many pairs resolves quickly', () => {
    const text = '파일을(를) '.repeat(50_000);
    const started = Date.now();
    const out = resolveParticles(text);
    assert.ok(out.startsWith('파일을 '), out.slice(0, 20));
    assert.ok(Date.now() - started < 2_000, `${Date.now() - started} ms`);
  });
});
