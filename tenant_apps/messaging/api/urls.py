"""API routes of the messaging app, mounted under /<ville>/api/v1/."""

from django.urls import path

from . import staff, views

urlpatterns = [
    path("messaging/services/", views.TownServiceListView.as_view(), name="api-messaging-services"),
    path("conversations/", views.ConversationListView.as_view(), name="api-conversations"),
    path("conversations/<int:pk>/", views.ConversationDetailView.as_view(), name="api-conversation"),
    path("conversations/<int:pk>/reply/", views.ConversationReplyView.as_view(), name="api-conversation-reply"),
    path("conversations/<int:pk>/read/", views.ConversationMarkReadView.as_view(), name="api-conversation-read"),
    path("notices/", staff.NoticeListView.as_view(), name="api-notices"),
    path("staff/conversations/", staff.StaffConversationCreateView.as_view(), name="api-staff-conversations"),
    path("staff/group-messages/", staff.GroupMessageCreateView.as_view(), name="api-staff-group-messages"),
    path("staff/group-messages/<int:pk>/", staff.GroupMessageDetailView.as_view(), name="api-staff-group-message"),
]
