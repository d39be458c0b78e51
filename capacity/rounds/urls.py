"""The rounds app's pages, one module per part so that each part's pages are read together:
rounds' problems of practice, visits and notes; debriefs and patterns; lesson study; networks' work."""

from capacity.rounds import urls_debrief, urls_lessons, urls_networks, urls_visits

urlpatterns = [
    *urls_visits.urlpatterns,
    *urls_debrief.urlpatterns,
    *urls_lessons.urlpatterns,
    *urls_networks.urlpatterns,
]
