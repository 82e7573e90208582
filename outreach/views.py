from governance.views import FamilyRegulationsView


class IndexView(FamilyRegulationsView):
    family = "outreach"
    template_name = "outreach/index.html"
