"""Topic scores: keyword counts as str.count counts them, summed in each topic's order."""
from __future__ import annotations

import random

from quzhou_archive.analyse import topics
from quzhou_archive.textnorm import fold


def _plain_scores(headline: str, body: str, taxonomy: topics.Taxonomy) -> dict[str, float]:
    """The scores the definition gives: every keyword counted, in order."""
    result = {}
    for topic in taxonomy.topics:
        score = 0.0
        for keyword, weight in topic.keywords:
            score += weight * (topics.HEADLINE_WEIGHT * headline.count(keyword) + body.count(keyword))
        if score:
            result[topic.name] = score
    return result


def test_scores_count_every_keyword_as_str_count_does():
    # keywords that begin others (招商, 招商引资), overlap themselves (哈哈),
    # are one character long, hold a line break, and weights whose float sum
    # depends on the order they are added in
    taxonomy = topics.Taxonomy((
        topics.Topic("甲", "a", "", (("招商", 0.1), ("招商引资", 0.7), ("哈哈", 0.2), ("哈", 0.3), ("a\nb", 1.0))),
        topics.Topic("乙", "b", "", (("商", 0.3), ("引资", -0.1), ("哈哈哈", 0.6), ("b", 0.7))),
    ), 1.0, 0.5, 3)
    rnd = random.Random(4)
    pieces = ["招商", "引资", "哈", "a", "b", "\n", "的", "商"]
    for _ in range(5000):
        body = "".join(rnd.choice(pieces) for _ in range(rnd.randrange(0, 14)))
        headline = body[:rnd.randrange(0, 5)]
        assert topics.scores(headline, body, taxonomy) == _plain_scores(headline, body, taxonomy), body


def test_scores_of_the_archive_taxonomy():
    taxonomy = topics.load()
    body = fold("常山县招商引资项目签约,总投资10亿元,建设数字经济产业园,推进乡村振兴与共同富裕。合作社带动农户增收。")
    headline = fold("招商引资再添新动能")
    assert topics.scores(headline, body) == _plain_scores(headline, body, taxonomy)
    assert topics.topics_for(headline, body)
