from imports.api.csv_urls import urlpatterns as csv_urlpatterns
from imports.api.job_urls import urlpatterns as job_urlpatterns
from imports.api.shotgun_urls import urlpatterns as shotgun_urlpatterns

urlpatterns = shotgun_urlpatterns + csv_urlpatterns + job_urlpatterns
