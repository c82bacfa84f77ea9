"""The scripts written without spaces between words, as character-class ranges.

Explanations show each of their characters as a word, whole-word masking masks them one by
one, and the fast model's n-grams take a Chinese character or kana as a word: one list of
ranges serves all three.
"""

import re

# Japanese kana, CJK unified ideographs (extension A and the main block), compatibility ideographs.
HAN_KANA = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# And Hangul syllables: Korean puts spaces between words, but a syllable is shown (and
# masked) as a unit of its own.
CJK = HAN_KANA + "\uac00-\ud7af"
CJK_CHARACTER = re.compile(f"[{CJK}]")
