from django.urls import path

from capacity.directory import views, views_portfolios, views_tokens

urlpatterns = [
    path("boards/", views.board_list, name="board_list"),
    path("boards/<str:number>/", views.board_detail, name="board_detail"),
    path("schools/", views.school_list, name="school_list"),
    path("schools/<str:number>/", views.school_detail, name="school_detail"),
    path("networks/", views.network_list, name="network_list"),
    path("networks/<int:pk>/", views.network_detail, name="network_detail"),
    path("portfolios/", views_portfolios.portfolio_list, name="portfolio_list"),
    path("portfolios/new/", views_portfolios.portfolio_new, name="portfolio_new"),
    path("portfolios/<int:pk>/", views_portfolios.portfolio_detail, name="portfolio_detail"),
    path("portfolios/<int:pk>/delete/", views_portfolios.portfolio_delete, name="portfolio_delete"),
    path("account/tokens/", views_tokens.api_tokens, name="api_tokens"),
    path("account/tokens/<int:pk>/revoke/", views_tokens.api_token_revoke, name="api_token_revoke"),
]
