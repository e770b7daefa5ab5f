"""Stories and topics: online clustering of articles (docs/stories.md).

``features.build_features`` -> ``online.OnlineClusterer.add`` -> ``stories.story_records``
and ``stories.group_topics``.
"""
